//! A request prepared for one decision: what many statements read from it, worked out once per decision
//! instead of once per statement (IAM_RULES R4: the resource split into its ARN fields), and where the
//! decision reads the request context from (R2, R8-R13): the request's context map, looked up by key name,
//! or the compiled request layout of the batch path, one value per key slot of the policy set.
//!
//! The compiled layout: when a [`crate::PolicySet`] is built, every context key that one of its condition
//! clauses or policy variables reads gets a slot number (a clause keeps its key's slot, a variable its own).
//! A batch row is then laid out as one [`KeyValue`] per slot, taken from the row's cells of the context
//! columns (borrowed from the columns, not copied) or from the shared context, and conditions read their
//! key by slot: no string hashing and no map per row.
//!
//! [`crate::PolicySet::decide`] and [`crate::PolicySet::evaluate`] make one [`Facts`] per request and hand it
//! to every statement they visit; the answers are those of the plain functions on the [`Request`] (the
//! differential tests against the reference evaluator hold them to it).

use crate::condition::constant::ConstantConditions;
use crate::condition::memo::ClauseMemo;
use crate::condition::{ArnCache, Clause};
use crate::pattern::ARN_FIELDS;
use crate::request::{Context, ContextValue, Request};

/// A context value borrowed for one decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyValue<'r> {
    /// A single value.
    Single(&'r str),
    /// A multivalued key's values (an empty list: present with no values).
    Multi(MultiValues<'r>),
}

/// A multivalued key's values, borrowed from a context map's `String`s or from a batch column's text buffer
/// (16 bytes either way: a [`KeyValue`] stays as small as a single value's, which the batch path copies per
/// slot per row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MultiValues<'r> {
    /// The values of a [`ContextValue::Multi`].
    Owned(&'r [String]),
    /// Values stored one after another in a text buffer (a batch column's: one allocation for all cells).
    Packed(&'r PackedValues<'r>),
}

/// Values stored one after another in `text`: value `i` ends at `ends[i]`; the first starts at `start`,
/// each next one where the previous ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedValues<'r> {
    /// The buffer.
    pub text: &'r str,
    /// Where the first value starts.
    pub start: usize,
    /// Where each value ends.
    pub ends: &'r [usize],
}

impl<'r> MultiValues<'r> {
    /// Whether `f` holds for some value (a plain loop over either form: no chained iterator).
    pub fn any(self, mut f: impl FnMut(&str) -> bool) -> bool {
        match self {
            Self::Owned(items) => items.iter().any(|v| f(v)),
            Self::Packed(packed) => {
                let mut from = packed.start;
                packed.ends.iter().any(|&end| {
                    let value = packed.text.get(from..end).unwrap_or_default();
                    from = end;
                    f(value)
                })
            }
        }
    }

    /// Whether `f` holds for every value.
    pub fn all(self, mut f: impl FnMut(&str) -> bool) -> bool {
        !self.any(|value| !f(value))
    }

    /// How many values.
    #[must_use]
    pub const fn len(self) -> usize {
        match self {
            Self::Owned(items) => items.len(),
            Self::Packed(packed) => packed.ends.len(),
        }
    }

    /// Whether there are none (the key is present with an empty list).
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }
}

impl<'r> From<&'r ContextValue> for KeyValue<'r> {
    fn from(value: &'r ContextValue) -> Self {
        match value {
            ContextValue::Single(text) => Self::Single(text),
            ContextValue::Multi(items) => Self::Multi(MultiValues::Owned(items)),
        }
    }
}

/// A key slot number (`u32`: no set can read as many keys, so every key a set reads has one).
pub type Slot = u32;

/// The slot of a key no [`crate::PolicySet`] numbered: read by name.
pub const NO_SLOT: Slot = Slot::MAX;

/// Where a decision reads the request context from.
#[derive(Debug, Clone, Copy)]
pub enum ContextView<'r> {
    /// A context map, looked up by the lowercased key name.
    Map(&'r Context),
    /// The compiled request layout (module documentation): the value of each key slot of the policy set,
    /// every key the set reads included; a key without a slot is read from `map` by name.
    Slots {
        /// One value per slot.
        values: &'r [Option<KeyValue<'r>>],
        /// The context the slots were laid out from.
        map: &'r Context,
    },
}

impl<'r> ContextView<'r> {
    /// The value of the lowercased `key`, whose slot is `slot`.
    #[inline]
    #[must_use]
    pub fn get(self, slot: Slot, key: &str) -> Option<KeyValue<'r>> {
        match self {
            Self::Map(map) => map.get(key).map(KeyValue::from),
            Self::Slots { values, map } => match usize::try_from(slot).ok().and_then(|slot| values.get(slot))
            {
                Some(value) => *value,
                None => map.get(key).map(KeyValue::from),
            },
        }
    }
}

/// A request and what has been worked out from it so far.
#[derive(Debug)]
pub struct Facts<'r> {
    /// The request.
    pub request: &'r Request,
    /// Its context.
    pub context: ContextView<'r>,
    /// The resource's six ARN fields (`None` for `*` or a non-ARN), split on first use.
    fields: Option<Option<[&'r str; ARN_FIELDS]>>,
    /// The ARN fields of context values the ARN operators read.
    pub arns: ArnCache<'r>,
    /// The batch path's remembered clause answers ([`crate::condition::memo`]), when there are.
    pub memo: Option<&'r mut ClauseMemo>,
    /// The batch path's statement answers under a constant context ([`crate::condition::constant`]), when
    /// the run has one.
    pub constant: Option<&'r mut ConstantConditions>,
}

impl<'r> Facts<'r> {
    /// Nothing worked out yet; the context is the request's map.
    #[must_use]
    pub fn new(request: &'r Request) -> Self {
        Self {
            request,
            context: ContextView::Map(&request.context),
            fields: None,
            arns: ArnCache::default(),
            memo: None,
            constant: None,
        }
    }

    /// Nothing worked out yet; the context is read from `context` (the request's own is not read).
    #[must_use]
    pub fn with_context(request: &'r Request, context: ContextView<'r>) -> Self {
        Self { request, context, fields: None, arns: ArnCache::default(), memo: None, constant: None }
    }

    /// [`Request::resource_fields`], split once per decision.
    pub fn fields(&mut self) -> Option<[&'r str; ARN_FIELDS]> {
        *self.fields.get_or_insert_with(|| self.request.resource_fields())
    }

    /// In a run with a constant context: its kept answers, the resource's fields and the context.
    pub fn constant_run(
        &mut self,
    ) -> Option<(&mut ConstantConditions, Option<[&'r str; ARN_FIELDS]>, ContextView<'r>)> {
        self.constant.as_ref()?;
        let fields = self.fields();
        Some((self.constant.as_deref_mut()?, fields, self.context))
    }

    /// Whether `clause` holds in this decision's context ([`Clause::holds_in`]; from the memo when there is
    /// one).
    pub fn holds(&mut self, clause: &Clause) -> bool {
        match self.memo.as_deref_mut() {
            Some(memo) => memo.holds(clause, self.context, &mut self.arns),
            None => clause.holds_in(self.context, &mut self.arns),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values, in order, as owned strings.
    fn to_vec(values: MultiValues<'_>) -> Vec<String> {
        let mut out = Vec::with_capacity(values.len());
        values.any(|value| {
            out.push(value.to_owned());
            false
        });
        out
    }

    #[test]
    fn test_r12_packed_values_read_as_their_owned_form() {
        assert_eq!(size_of::<KeyValue<'_>>(), 24); // as small as before multivalued cells were packed
        let owned = ["a".to_owned(), String::new(), "ARN:x".to_owned()];
        // a buffer holding another cell first ("zz"), then this cell's three values
        let text = "zzaARN:x";
        let ends = [3, 3, 8];
        let values = PackedValues { text, start: 2, ends: &ends };
        let packed = MultiValues::Packed(&values);
        assert_eq!(to_vec(packed), owned.to_vec());
        assert_eq!(to_vec(MultiValues::Owned(&owned)), owned.to_vec());
        assert_eq!(packed.len(), 3);
        assert!(packed.any(str::is_empty) && !packed.all(|v| v.len() == 1));
        assert!(packed.all(|v| v.len() <= 5) && !packed.any(|v| v == "zz"));
        let empty = PackedValues { text, start: 8, ends: &[] };
        let none = MultiValues::Packed(&empty);
        assert!(none.is_empty() && !none.any(|_| true) && none.all(|_| false));
    }
}
