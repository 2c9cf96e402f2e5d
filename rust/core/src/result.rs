//! The answer (IAM_RULES R22; Python `iameval.reference.result`): a decision plus why.

use std::sync::Arc;

use crate::json::Json;
use crate::policy::Effect;

/// The three outcomes of an authorization (R22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// `Allow`
    Allow,
    /// `ExplicitDeny`
    ExplicitDeny,
    /// `ImplicitDeny`
    ImplicitDeny,
}

impl Decision {
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::ExplicitDeny => "ExplicitDeny",
            Self::ImplicitDeny => "ImplicitDeny",
        }
    }
}

/// A statement that applied to the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedStatement {
    /// `identity`, `resource`, `permission_boundary`, `session`, `scp`, `rcp` or `vpc_endpoint`.
    pub policy_type: &'static str,
    /// Index of the policy in its list (within its level for SCPs and RCPs, 0 for single policies).
    pub policy_index: usize,
    /// Index in the policy's Statement list.
    pub statement_index: usize,
    /// The statement's `Sid` (the compiled statement's, shared: no copy per result).
    pub sid: Option<Arc<str>>,
    /// Its effect.
    pub effect: Effect,
    /// The SCP/RCP level (0 = organization root).
    pub level: Option<usize>,
}

/// The result of evaluating one request against a policy set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// Which layer decided (see the README).
    pub decided_by: &'static str,
    /// For an ExplicitDeny every Deny that applied; otherwise every Allow that applied, in evaluation order.
    pub matched: Vec<MatchedStatement>,
    /// Condition keys and policy variables that were asked for and absent, first spelling seen.
    pub missing_context_keys: Vec<String>,
    /// R20c: when RestrictPublicBuckets is in force for the request, the statements (indexes) that make the
    /// bucket policy public; else empty.
    pub public_statements: Vec<usize>,
}

impl Evaluation {
    /// Whether the decision is Allow.
    #[must_use]
    pub fn allowed(&self) -> bool {
        self.decision == Decision::Allow
    }

    /// The evaluation as JSON, with the keys and order of the reference `Result.to_dict()`.
    #[must_use]
    pub fn to_json(&self) -> Json {
        let text = |s: &str| Json::String(s.to_owned());
        let index = |i: usize| Json::Number(i.to_string());
        let matched = self
            .matched
            .iter()
            .map(|m| {
                Json::Object(vec![
                    ("policy_type".to_owned(), text(m.policy_type)),
                    ("policy_index".to_owned(), index(m.policy_index)),
                    ("statement_index".to_owned(), index(m.statement_index)),
                    ("sid".to_owned(), m.sid.as_deref().map_or(Json::Null, text)),
                    ("effect".to_owned(), text(m.effect.as_str())),
                    ("level".to_owned(), m.level.map_or(Json::Null, index)),
                ])
            })
            .collect();
        Json::Object(vec![
            ("decision".to_owned(), text(self.decision.as_str())),
            ("allowed".to_owned(), Json::Bool(self.allowed())),
            ("decided_by".to_owned(), text(self.decided_by)),
            ("matched".to_owned(), Json::Array(matched)),
            (
                "missing_context_keys".to_owned(),
                Json::Array(self.missing_context_keys.iter().map(|k| text(k)).collect()),
            ),
            (
                "public_statements".to_owned(),
                Json::Array(self.public_statements.iter().map(|&i| index(i)).collect()),
            ),
        ])
    }
}
