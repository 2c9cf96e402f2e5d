//! Principal and NotPrincipal matching (IAM_RULES R5, R6; Python `iameval.reference.principal`).
//!
//! [`namings`] says *how* a Principal element names the caller, because R18 makes the outcome of a
//! same-account resource-policy grant depend on it.

use crate::pattern::split_arn;
use crate::policy::PrincipalSpec;
use crate::request::{Caller, CallerKind, is_account_id};

/// One way a statement names the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Naming {
    /// `"*"` or `{"AWS": "*"}`.
    Star = 1,
    /// The caller's account (delegation).
    Account = 1 << 1,
    /// The caller's user ARN.
    User = 1 << 2,
    /// The caller's role ARN.
    Role = 1 << 3,
    /// The caller's session ARN.
    Session = 1 << 4,
    /// The caller's federated-user ARN.
    Federated = 1 << 5,
    /// A service principal.
    Service = 1 << 6,
    /// A federated identity provider.
    FederatedIdp = 1 << 7,
    /// A canonical user id.
    Canonical = 1 << 8,
    /// Any other exact ARN.
    Other = 1 << 9,
    /// No principal element (identity-side policies).
    Implicit = 1 << 10,
    /// A NotPrincipal statement that does not exempt the caller.
    NotPrincipal = 1 << 11,
}

/// A set of [`Naming`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Namings(u16);

impl Namings {
    /// The set with one naming.
    #[must_use]
    pub const fn one(naming: Naming) -> Self {
        Self(naming as u16)
    }

    /// Add a naming.
    pub const fn insert(&mut self, naming: Naming) {
        self.0 |= naming as u16;
    }

    /// Whether the set has this naming.
    #[must_use]
    pub const fn contains(self, naming: Naming) -> bool {
        self.0 & naming as u16 != 0
    }

    /// Whether the set is empty.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Every naming of either set.
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether the two sets share a naming.
    #[must_use]
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// The set without one naming.
    #[must_use]
    pub const fn without(self, naming: Naming) -> Self {
        Self(self.0 & !(naming as u16))
    }

    /// The set of these namings.
    #[must_use]
    pub fn of(namings: &[Naming]) -> Self {
        let mut set = Self::default();
        for &n in namings {
            set.insert(n);
        }
        set
    }
}

fn aws_naming(entry: &str, caller: &Caller) -> Option<Naming> {
    if entry == "*" {
        return Some(Naming::Star);
    }
    if is_account_id(entry) {
        return (caller.is_iam() && caller.account.as_deref() == Some(entry)).then_some(Naming::Account);
    }
    let Some([_, partition, service, _, account, resource]) = split_arn(entry) else {
        return (entry == caller.arn).then_some(Naming::Other);
    };
    if service == "iam" && resource == "root" {
        let same = caller.is_iam()
            && caller.account.as_deref() == Some(account)
            && caller.partition.as_deref() == Some(partition);
        return same.then_some(Naming::Account);
    }
    if service == "iam" && resource.starts_with("role/") {
        return match caller.kind {
            CallerKind::Role => (entry == caller.arn).then_some(Naming::Role),
            CallerKind::Session => {
                let name = resource.rsplit('/').next().unwrap_or(resource);
                let same = caller.partition.as_deref() == Some(partition)
                    && caller.account.as_deref() == Some(account)
                    && caller.role_name.as_deref() == Some(name);
                same.then_some(Naming::Role)
            }
            _ => None,
        };
    }
    if entry != caller.arn {
        return None;
    }
    Some(match caller.kind {
        CallerKind::User => Naming::User,
        CallerKind::Session => Naming::Session,
        CallerKind::Federated => Naming::Federated,
        _ => Naming::Other,
    })
}

/// Every way the Principal element `spec` names `caller` (empty: it does not apply to the caller).
#[must_use]
pub fn namings(spec: &PrincipalSpec, caller: &Caller) -> Namings {
    let mut found = Namings::default();
    if spec.star {
        found.insert(Naming::Star);
    }
    if caller.kind == CallerKind::Anonymous {
        // R5: only `"*"` names the anonymous caller; a value `anonymous` (under any key) names nobody
        return found;
    }
    for entry in &spec.aws {
        if let Some(naming) = aws_naming(entry, caller) {
            found.insert(naming);
        }
    }
    if spec.service.contains(&caller.arn) {
        found.insert(Naming::Service);
    }
    if spec.federated.contains(&caller.arn) {
        found.insert(Naming::FederatedIdp);
    }
    if spec.canonical.contains(&caller.arn) {
        found.insert(Naming::Canonical);
    }
    found
}

/// The first entry of a Principal element that names the caller (for the trace): `*` for the element `"*"`,
/// then the `AWS`, `Service`, `Federated` and `CanonicalUser` entries in written order.
#[must_use]
pub fn first_naming_entry<'a>(spec: &'a PrincipalSpec, caller: &Caller) -> Option<&'a str> {
    if spec.star && !spec.aws.iter().any(|a| a == "*") {
        return Some("*");
    }
    let anonymous = caller.kind == CallerKind::Anonymous;
    if let Some(entry) =
        spec.aws.iter().find(|e| e.as_str() == "*" || (!anonymous && aws_naming(e, caller).is_some()))
    {
        return Some(entry);
    }
    if anonymous {
        return None; // R5: only `*` names the anonymous caller
    }
    spec.service
        .iter()
        .chain(&spec.federated)
        .chain(&spec.canonical)
        .find(|e| **e == caller.arn)
        .map(String::as_str)
}

/// R6: the caller is exempt from a NotPrincipal statement when the list names the caller itself; listing
/// only the account exempts the account root user but not the account's users and roles.
#[must_use]
pub fn exempt_from_not_principal(spec: &PrincipalSpec, caller: &Caller) -> bool {
    let found = namings(spec, caller);
    if caller.kind == CallerKind::Root && found.contains(Naming::Account) {
        return true;
    }
    !found.without(Naming::Account).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::classify_principal;

    #[test]
    fn test_r5_value_anonymous_names_nobody() {
        for principal in ["anonymous", "*"] {
            let caller = classify_principal(principal);
            assert!(caller.is_some());
            let Some(caller) = caller else { return };
            let anon = vec!["anonymous".to_owned()];
            for spec in [
                PrincipalSpec { aws: anon.clone(), ..Default::default() },
                PrincipalSpec { service: anon.clone(), ..Default::default() },
                PrincipalSpec { federated: anon.clone(), ..Default::default() },
                PrincipalSpec { canonical: anon.clone(), ..Default::default() },
            ] {
                assert!(namings(&spec, &caller).is_empty());
                assert!(!exempt_from_not_principal(&spec, &caller));
            }
            let star = PrincipalSpec { star: true, ..Default::default() };
            assert!(namings(&star, &caller).contains(Naming::Star));
        }
    }

    #[test]
    fn test_r5_session_named_by_role_arn_with_path() {
        let Some(caller) = classify_principal("arn:aws:sts::111111111111:assumed-role/app/s1") else {
            return;
        };
        let spec = PrincipalSpec {
            aws: vec!["arn:aws:iam::111111111111:role/team/app".into()],
            ..Default::default()
        };
        assert!(namings(&spec, &caller).contains(Naming::Role));
        let spec = PrincipalSpec { aws: vec!["111111111111".into()], ..Default::default() };
        assert!(namings(&spec, &caller).contains(Naming::Account));
        assert!(!exempt_from_not_principal(&spec, &caller));
    }
}
