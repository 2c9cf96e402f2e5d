//! A request prepared for one decision: what many statements read from it, worked out once per decision
//! instead of once per statement (IAM_RULES R4: the resource split into its ARN fields).
//!
//! [`crate::PolicySet::decide`] and [`crate::PolicySet::evaluate`] make one [`Facts`] per request and hand it
//! to every statement they visit; the answers are those of the plain functions on the [`Request`] (the
//! differential tests against the reference evaluator hold them to it).

use crate::pattern::ARN_FIELDS;
use crate::request::Request;

/// A request and what has been worked out from it so far.
#[derive(Debug)]
pub struct Facts<'r> {
    /// The request.
    pub request: &'r Request,
    /// The resource's six ARN fields (`None` for `*` or a non-ARN), split on first use.
    fields: Option<Option<[&'r str; ARN_FIELDS]>>,
}

impl<'r> Facts<'r> {
    /// Nothing worked out yet.
    #[must_use]
    pub const fn new(request: &'r Request) -> Self {
        Self { request, fields: None }
    }

    /// [`Request::resource_fields`], split once per decision.
    pub fn fields(&mut self) -> Option<[&'r str; ARN_FIELDS]> {
        *self.fields.get_or_insert_with(|| self.request.resource_fields())
    }
}
