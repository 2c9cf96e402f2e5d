//! Binary condition values (R11 BinaryEquals): base64 read as Python's `base64.b64decode(validate=True)`.

fn sextet(b: u8) -> Option<u32> {
    match b {
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decode base64 as `b64decode(text, validate=True)`: only `[A-Za-z0-9+/]` then at most two `=`; a final
/// group of 2 or 3 characters needs enough padding; trailing bits are ignored; padding after a complete
/// group is ignored.
#[must_use]
pub fn read_binary(text: &str) -> Option<Vec<u8>> {
    let data = text.trim_end_matches('=');
    let pads = text.len() - data.len();
    if pads > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut count = 0;
    for b in data.bytes() {
        acc = (acc << 6) | sextet(b)?;
        count += 1;
        if count == 4 {
            let [_, a, b, c] = acc.to_be_bytes();
            out.extend([a, b, c]);
            acc = 0;
            count = 0;
        }
    }
    match count {
        0 => {}
        2 if pads == 2 => out.push(((acc >> 4) & 0xFF) as u8),
        3 if pads >= 1 => {
            let bits = acc >> 2;
            out.push(((bits >> 8) & 0xFF) as u8);
            out.push((bits & 0xFF) as u8);
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_r11_base64_as_python_validate() {
        assert_eq!(read_binary("QUJD"), Some(b"ABC".to_vec()));
        assert_eq!(read_binary("QUI="), Some(b"AB".to_vec()));
        assert_eq!(read_binary("QQ=="), Some(b"A".to_vec()));
        assert_eq!(read_binary("QUI=="), Some(b"AB".to_vec()));
        assert_eq!(read_binary("QUJD=="), Some(b"ABC".to_vec()));
        assert_eq!(read_binary("QR=="), Some(b"A".to_vec()));
        assert_eq!(read_binary(""), Some(Vec::new()));
        for bad in ["QUI", "QQ=", "Q", "QUJDQ", "QU JD", "QUJD===", "QU=JD", "apollo"] {
            assert_eq!(read_binary(bad), None, "{bad}");
        }
    }
}
