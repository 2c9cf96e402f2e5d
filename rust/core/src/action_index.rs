//! Statements indexed by action (IAM_RULES R3), so that a request only looks at statements whose Action or
//! NotAction can match its action. Built once per policy layer when a policy set is compiled.
//!
//! - a literal action written in some statement (`s3:getobject`) maps to the exact, ordered list of the
//!   layer's statements whose action clause matches it: nothing is checked again per request;
//! - any other action of a service that some pattern names with a literal service prefix (`s3:get*`,
//!   `s3:*`) gets that service's pattern statements plus the residue, each checked per request;
//! - the residue (`*`, patterns with a wildcard in the service part, every NotAction statement) is checked
//!   for every other action.
//!
//! Positions are indexes into the layer's flat statement list and every list is sorted, so statements are
//! visited in policy order, exactly as a scan of every statement would visit them.

use std::collections::{HashMap, HashSet};

use crate::policy::Statement;

/// The statements of a layer that may match an action.
#[derive(Debug, Clone, Copy)]
pub enum Candidates<'a> {
    /// These statements' action clauses match (known when the index was built).
    Exact(&'a [u32]),
    /// These statements' action clauses must still be checked against the action.
    Check(&'a [u32]),
}

/// The action index of one layer.
#[derive(Debug, Default)]
pub struct ActionIndex {
    exact: HashMap<Box<str>, Box<[u32]>>,
    by_service: HashMap<Box<str>, Box<[u32]>>,
    residue: Box<[u32]>,
}

fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// The service prefix of a lowercased action (`s3` of `s3:getobject`), or the whole text without `:`.
fn service_of(action: &str) -> &str {
    action.split_once(':').map_or(action, |(service, _)| service)
}

fn sorted(mut positions: Vec<u32>) -> Box<[u32]> {
    positions.sort_unstable();
    positions.dedup();
    positions.into_boxed_slice()
}

impl ActionIndex {
    /// Index `statements` (a layer's statements in order; a position is an index into this slice).
    /// `matches(statement, action)` is the R3 action check ([`crate::evaluate::action_matches`]).
    #[must_use]
    pub fn build(statements: &[&Statement], matches: impl Fn(&Statement, &str) -> bool) -> Self {
        let mut literals: HashMap<&str, Vec<u32>> = HashMap::new();
        let mut service_patterns: HashMap<&str, Vec<u32>> = HashMap::new();
        let mut residue = Vec::new();
        for (position, statement) in statements.iter().enumerate() {
            let Ok(position) = u32::try_from(position) else {
                break; // unreachable: a policy set has far fewer statements (MAX_STATEMENTS per policy)
            };
            if statement.not_action {
                residue.push(position);
                continue;
            }
            for pattern in &statement.actions {
                if !has_wildcard(pattern) {
                    literals.entry(pattern.as_str()).or_default().push(position);
                } else if has_wildcard(service_of(pattern)) || !pattern.contains(':') {
                    residue.push(position);
                } else {
                    service_patterns.entry(service_of(pattern)).or_default().push(position);
                }
            }
        }
        let residue = sorted(residue);
        let by_service: HashMap<Box<str>, Box<[u32]>> = service_patterns
            .into_iter()
            .map(|(service, mut positions)| {
                positions.extend_from_slice(&residue);
                (Box::from(service), sorted(positions))
            })
            .collect();
        let mut exact = HashMap::with_capacity(literals.len());
        for (action, mut positions) in literals {
            let to_check = by_service.get(service_of(action)).unwrap_or(&residue);
            let known: HashSet<u32> = positions.iter().copied().collect();
            for &position in to_check.iter() {
                let hit = usize::try_from(position)
                    .ok()
                    .and_then(|p| statements.get(p))
                    .is_some_and(|statement| matches(statement, action));
                if hit && !known.contains(&position) {
                    positions.push(position);
                }
            }
            exact.insert(Box::from(action), sorted(positions));
        }
        Self { exact, by_service, residue }
    }

    /// The statements that may match `action` (lowercased, as in a [`crate::Request`]).
    #[must_use]
    pub fn candidates(&self, action: &str) -> Candidates<'_> {
        if let Some(positions) = self.exact.get(action) {
            return Candidates::Exact(positions);
        }
        Candidates::Check(self.by_service.get(service_of(action)).unwrap_or(&self.residue))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::action_matches;
    use crate::json::parse_str;
    use crate::policy::{Kind, read_policy};

    fn statements(text: &str) -> Vec<Statement> {
        let json = parse_str(text).0.unwrap_or(crate::Json::Null);
        read_policy(&json, Kind::Identity, "").map(|p| p.statements).unwrap_or_default()
    }

    #[test]
    fn test_r3_index_visits_exactly_the_matching_statements_in_order() {
        let owned = statements(
            r#"{"Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "ec2:Describe*"], "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"},
                {"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"},
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Allow", "Action": "s?:*", "Resource": "*"},
                {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
            ]}"#,
        );
        let refs: Vec<&Statement> = owned.iter().collect();
        let index = ActionIndex::build(&refs, action_matches);
        for action in
            ["s3:getobject", "s3:getbucket", "ec2:describeimages", "iam:passrole", "sqs:send", "x:y"]
        {
            let expected: Vec<u32> = (0..)
                .zip(&owned)
                .filter(|(_, statement)| action_matches(statement, action))
                .map(|(i, _)| i)
                .collect();
            let found: Vec<u32> = match index.candidates(action) {
                Candidates::Exact(p) => p.to_vec(),
                Candidates::Check(p) => p
                    .iter()
                    .copied()
                    .filter(|&i| owned.get(i as usize).is_some_and(|s| action_matches(s, action)))
                    .collect(),
            };
            assert_eq!(found, expected, "{action}");
        }
        assert!(matches!(index.candidates("s3:getobject"), Candidates::Exact(_)));
        assert!(matches!(index.candidates("sqs:send"), Candidates::Check(_)));
    }
}
