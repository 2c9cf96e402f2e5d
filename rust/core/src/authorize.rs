//! Combining policy types into a decision (IAM_RULES R14-R22; Python `iameval.reference.authorize`).
//!
//! The order follows AWS's evaluation flow: GetCallerIdentity (R20); explicit Deny anywhere (R14); SCP
//! levels (R15); RCPs only deny (R16); then the grant: the account root (R20a), same-account identity and
//! resource-based grants with the R18 table, trust and KMS key policies that must allow explicitly (R19),
//! or both sides of a cross-account request (R21).

use std::collections::HashSet;
use std::sync::Arc;

use crate::error::{Error, ErrorEntry, ErrorKind, PathSegment};
use crate::evaluate::match_statement;
use crate::json::Json;
use crate::pattern::lowercase;
use crate::policy::{Effect, Kind, Policy, read_policy};
use crate::principal::{Naming, Namings};
use crate::request::{CallerKind, ContextValue, Request};
use crate::result::{Decision, Evaluation, MatchedStatement};

/// R16: services whose resources RCPs apply to (keyed by the action's service prefix).
pub const RCP_SERVICES: [&str; 5] = ["s3", "sts", "kms", "sqs", "secretsmanager"];

const POLICY_KEYS: [&str; 6] = ["identity", "resource", "permission_boundary", "session", "scps", "rcps"];

fn direct_namings() -> Namings {
    Namings::of(&[
        Naming::Star,
        Naming::NotPrincipal,
        Naming::User,
        Naming::Session,
        Naming::Federated,
        Naming::Service,
        Naming::FederatedIdp,
        Naming::Canonical,
        Naming::Other,
    ])
}

#[derive(Debug)]
struct Compiled {
    identity: Vec<Policy>,
    resource: Option<Policy>,
    boundary: Option<Policy>,
    session: Option<Policy>,
    scps: Option<Vec<Vec<Policy>>>,
    rcps: Option<Vec<Vec<Policy>>>,
}

/// An immutable, cheaply cloned set of policies (identity, resource-based, permissions boundary, session
/// policy, SCP levels, RCP levels), read once; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct PolicySet {
    inner: Arc<Compiled>,
}

#[derive(Default)]
struct Layer {
    allows: Vec<(MatchedStatement, Namings)>,
    denies: Vec<MatchedStatement>,
}

fn as_list<'a>(value: Option<&'a Json>, location: &str, errors: &mut Vec<ErrorEntry>) -> &'a [Json] {
    match value {
        None | Some(Json::Null) => &[],
        Some(Json::Array(items)) => items,
        Some(_) => {
            errors.push(ErrorEntry {
                kind: ErrorKind::WrongType,
                policy: location.to_owned(),
                path: Vec::new(),
                message: format!("`{location}` must be a list of policies"),
            });
            &[]
        }
    }
}

fn parse_list(sources: &[Json], kind: Kind, location: &str, errors: &mut Vec<ErrorEntry>) -> Vec<Policy> {
    let mut out = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        match read_policy(source, kind, &format!("{location}/{i}")) {
            Ok(policy) => out.push(policy),
            Err(problems) => errors.extend(problems),
        }
    }
    out
}

fn single(value: Option<&Json>, kind: Kind, errors: &mut Vec<ErrorEntry>) -> Option<Policy> {
    match value {
        None | Some(Json::Null) => None,
        Some(source) => read_policy(source, kind, kind.as_str()).map_err(|e| errors.extend(e)).ok(),
    }
}

fn levels(
    value: Option<&Json>,
    kind: Kind,
    location: &str,
    errors: &mut Vec<ErrorEntry>,
) -> Option<Vec<Vec<Policy>>> {
    if value.is_none_or(Json::is_null) {
        return None;
    }
    let mut out = Vec::new();
    for (i, level) in as_list(value, location, errors).iter().enumerate() {
        let where_ = format!("{location}/{i}");
        let policies = as_list(Some(level), &where_, errors);
        out.push(parse_list(policies, kind, &where_, errors));
    }
    Some(out)
}

fn is_service_linked(request: &Request) -> bool {
    let caller = &request.caller;
    match caller.kind {
        CallerKind::Role => caller.role_path.as_deref().unwrap_or("").starts_with("/aws-service-role/"),
        CallerKind::Session => matches!(
            request.context.get("aws:principalarn"),
            Some(ContextValue::Single(arn)) if arn.contains(":role/aws-service-role/")
        ),
        _ => false,
    }
}

fn is_strict(request: &Request) -> bool {
    let Some([_, _, service, _, _, resource]) = request.resource_fields() else {
        return false;
    };
    if request.action.starts_with("sts:assumerole") {
        return lowercase(service) == "iam" && resource.starts_with("role/");
    }
    if request.service == "kms" {
        return lowercase(service) == "kms" && resource.starts_with("key/");
    }
    false
}

impl PolicySet {
    /// Build from policies given as JSON values (a [`Json::String`] is JSON text): `identity` a list,
    /// `resource`, `permission_boundary` and `session` single policies, `scps` and `rcps` lists of levels.
    /// `None` or [`Json::Null`] means none (for `scps`/`rcps`: not governed).
    ///
    /// # Errors
    /// [`Error::Policy`] listing every problem in every policy.
    pub fn new(
        identity: Option<&Json>,
        resource: Option<&Json>,
        permission_boundary: Option<&Json>,
        session: Option<&Json>,
        scps: Option<&Json>,
        rcps: Option<&Json>,
    ) -> Result<Self, Error> {
        let mut errors = Vec::new();
        let identity_sources = as_list(identity, "identity", &mut errors);
        let identity = parse_list(identity_sources, Kind::Identity, "identity", &mut errors);
        let resource = single(resource, Kind::Resource, &mut errors);
        let boundary = single(permission_boundary, Kind::PermissionBoundary, &mut errors);
        let session = single(session, Kind::Session, &mut errors);
        let scps = levels(scps, Kind::Scp, "scps", &mut errors);
        let rcps = levels(rcps, Kind::Rcp, "rcps", &mut errors);
        if !errors.is_empty() {
            return Err(Error::Policy(errors));
        }
        Ok(Self { inner: Arc::new(Compiled { identity, resource, boundary, session, scps, rcps }) })
    }

    /// Build from the `policies` object of a test vector (missing keys mean none), as `from_vector`.
    ///
    /// # Errors
    /// [`Error::Policy`] listing every problem.
    pub fn from_json(policies: &Json) -> Result<Self, Error> {
        let Json::Object(pairs) = policies else {
            return Err(Error::Policy(vec![ErrorEntry::new(
                ErrorKind::WrongType,
                Vec::new(),
                "`policies` must be an object",
            )]));
        };
        let unknown: Vec<ErrorEntry> = pairs
            .iter()
            .filter(|(k, _)| !POLICY_KEYS.contains(&k.as_str()))
            .map(|(k, _)| {
                ErrorEntry::new(
                    ErrorKind::UnknownElement,
                    vec![PathSegment::Key(k.clone())],
                    format!("unknown policy type `{k}`"),
                )
            })
            .collect();
        if !unknown.is_empty() {
            return Err(Error::Policy(unknown));
        }
        Self::new(
            policies.get("identity"),
            policies.get("resource"),
            policies.get("permission_boundary"),
            policies.get("session"),
            policies.get("scps"),
            policies.get("rcps"),
        )
    }

    /// Counts for display: identity policies, resource?, boundary?, session?, SCP levels, RCP levels.
    #[must_use]
    pub fn summary(&self) -> String {
        let c = &self.inner;
        let levels =
            |l: &Option<Vec<Vec<Policy>>>| l.as_ref().map_or("None".to_owned(), |l| l.len().to_string());
        let py_bool = |b: bool| if b { "True" } else { "False" };
        format!(
            "PolicySet(identity={}, resource={}, permission_boundary={}, session={}, scp_levels={}, rcp_levels={})",
            c.identity.len(),
            py_bool(c.resource.is_some()),
            py_bool(c.boundary.is_some()),
            py_bool(c.session.is_some()),
            levels(&c.scps),
            levels(&c.rcps)
        )
    }

    fn layer(
        &self,
        policy_type: &'static str,
        policies: &[Policy],
        request: &Request,
        missing: &mut (HashSet<String>, Vec<String>),
        level: Option<usize>,
    ) -> Layer {
        let mut layer = Layer::default();
        let has_boundary = self.inner.boundary.is_some();
        for (p_index, policy) in policies.iter().enumerate() {
            for st in &policy.statements {
                let Some(m) = match_statement(st, request, policy.kind == Kind::Resource, has_boundary)
                else {
                    continue;
                };
                for key in m.missing_keys {
                    if missing.0.insert(lowercase(&key)) {
                        missing.1.push(key);
                    }
                }
                if !m.applies {
                    continue;
                }
                let matched = MatchedStatement {
                    policy_type,
                    policy_index: p_index,
                    statement_index: st.index,
                    sid: st.sid.clone(),
                    effect: st.effect,
                    level,
                };
                match st.effect {
                    Effect::Deny => layer.denies.push(matched),
                    Effect::Allow => layer.allows.push((matched, m.namings)),
                }
            }
        }
        layer
    }

    /// Decide one request given as a JSON object (R1-R22).
    ///
    /// # Errors
    /// [`Error::Request`] for a malformed request.
    pub fn evaluate_json(&self, request: &Json) -> Result<Evaluation, Error> {
        Ok(self.evaluate(&Request::from_json(request)?))
    }

    /// Decide one request that has been read (R1-R22). Never fails.
    #[must_use]
    pub fn evaluate(&self, req: &Request) -> Evaluation {
        let c = &*self.inner;
        let caller = &req.caller;
        if req.action == "sts:getcalleridentity" {
            return Evaluation {
                decision: Decision::Allow,
                decided_by: "get-caller-identity",
                matched: Vec::new(),
                missing_context_keys: Vec::new(),
            };
        }
        let mut missing = (HashSet::new(), Vec::new());
        let scps_apply = c.scps.is_some() && caller.is_iam() && !is_service_linked(req);
        let mut scp_layers = Vec::new();
        if scps_apply && let Some(scps) = &c.scps {
            for (i, level) in scps.iter().enumerate() {
                scp_layers.push(self.layer("scp", level, req, &mut missing, Some(i)));
            }
        }
        let mut rcp_layers = Vec::new();
        if let Some(rcps) = &c.rcps
            && RCP_SERVICES.contains(&req.service.as_str())
        {
            for (i, level) in rcps.iter().enumerate() {
                rcp_layers.push(self.layer("rcp", level, req, &mut missing, Some(i)));
            }
        }
        let resource_layer = c
            .resource
            .as_ref()
            .map(|p| self.layer("resource", std::slice::from_ref(p), req, &mut missing, None));
        let (mut identity_layer, mut boundary_layer, mut session_layer) = (None, None, None);
        if caller.is_iam() {
            identity_layer = Some(self.layer("identity", &c.identity, req, &mut missing, None));
            boundary_layer = c
                .boundary
                .as_ref()
                .map(|p| self.layer("permission_boundary", std::slice::from_ref(p), req, &mut missing, None));
            session_layer = c
                .session
                .as_ref()
                .map(|p| self.layer("session", std::slice::from_ref(p), req, &mut missing, None));
        }
        let missing_keys = missing.1;
        let ordered: Vec<(&'static str, &Layer)> = scp_layers
            .iter()
            .map(|l| ("scp", l))
            .chain(rcp_layers.iter().map(|l| ("rcp", l)))
            .chain(resource_layer.iter().map(|l| ("resource", l)))
            .chain(identity_layer.iter().map(|l| ("identity", l)))
            .chain(boundary_layer.iter().map(|l| ("permission_boundary", l)))
            .chain(session_layer.iter().map(|l| ("session", l)))
            .collect();

        // R14: an explicit Deny in any applicable policy wins over every Allow
        let denies: Vec<(&'static str, &MatchedStatement)> =
            ordered.iter().flat_map(|(name, l)| l.denies.iter().map(move |m| (*name, m))).collect();
        if let Some((first, _)) = denies.first() {
            return Evaluation {
                decision: Decision::ExplicitDeny,
                decided_by: first,
                matched: denies.iter().map(|(_, m)| (*m).clone()).collect(),
                missing_context_keys: missing_keys,
            };
        }
        let allows: Vec<MatchedStatement> =
            ordered.iter().flat_map(|(_, l)| l.allows.iter().map(|(m, _)| m.clone())).collect();
        let result = |decision, decided_by| Evaluation {
            decision,
            decided_by,
            matched: allows.clone(),
            missing_context_keys: missing_keys.clone(),
        };
        let deny = |by| result(Decision::ImplicitDeny, by);
        let allow = |by| result(Decision::Allow, by);

        // R15: at every SCP level some SCP must allow; SCPs never grant
        if scps_apply && scp_layers.iter().any(|l| l.allows.is_empty()) {
            return deny("scp");
        }
        let resource_allows: Vec<Namings> =
            resource_layer.iter().flat_map(|l| l.allows.iter().map(|(_, n)| *n)).collect();
        let strict = is_strict(req);
        if !caller.is_iam() {
            if !resource_allows.is_empty() {
                return allow("resource");
            }
            return deny(if c.resource.is_some() { "resource" } else { "default" });
        }
        let identity_allow = identity_layer.as_ref().is_some_and(|l| !l.allows.is_empty());
        let boundary_ok = boundary_layer.as_ref().is_none_or(|l| !l.allows.is_empty());
        let session_ok = session_layer.as_ref().is_none_or(|l| !l.allows.is_empty());
        // R17 and R20a
        let identity_side = caller.kind == CallerKind::Root || (identity_allow && boundary_ok && session_ok);
        let identity_failure = if !identity_allow {
            "identity"
        } else if !boundary_ok {
            "permission_boundary"
        } else {
            "session"
        };
        let same_account = req.principal_account.is_some() && req.principal_account == req.resource_account;
        if !same_account {
            // R21: both sides must allow; a missing resource policy means deny
            let resource_side = !resource_allows.is_empty();
            if identity_side && resource_side {
                return allow("identity+resource");
            }
            if !identity_side {
                return deny(if identity_allow || !resource_allows.is_empty() {
                    identity_failure
                } else {
                    "default"
                });
            }
            return deny("resource");
        }
        if caller.kind == CallerKind::Root && !strict {
            return allow("root");
        }
        if identity_side && !strict {
            return allow("identity");
        }
        // R18: a same-account resource-based Allow; how the caller is named decides what still applies
        let direct_set = direct_namings();
        let direct = resource_allows.iter().any(|n| n.intersects(direct_set));
        let via_role = resource_allows.iter().any(|n| n.contains(Naming::Role)) && boundary_ok && session_ok;
        if direct || via_role {
            return allow("resource");
        }
        if identity_side && resource_allows.iter().any(|n| n.contains(Naming::Account)) {
            return allow("identity+resource");
        }
        if !identity_allow && resource_allows.is_empty() {
            return deny("default");
        }
        if strict && identity_side {
            return deny("resource");
        }
        if !boundary_ok {
            return deny("permission_boundary");
        }
        if !session_ok {
            return deny("session");
        }
        deny("identity")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_str;

    fn evaluate(policies: &str, request: &str) -> Option<Evaluation> {
        let policies = parse_str(policies).0?;
        let request = parse_str(request).0?;
        PolicySet::from_json(&policies).ok()?.evaluate_json(&request).ok()
    }

    const ALICE: &str = r#"{"principal": "arn:aws:iam::111111111111:user/alice", "action": "s3:GetObject",
        "resource": "arn:aws:s3:::bucket/key", "context": {}}"#;

    #[test]
    fn test_r14_explicit_deny_wins() {
        let result = evaluate(
            r#"{"identity": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {"Sid": "D", "Effect": "Deny", "Action": "s3:Get*", "Resource": "*"}]}]}"#,
            ALICE,
        );
        assert_eq!(
            result.as_ref().map(|r| (r.decision, r.decided_by)),
            Some((Decision::ExplicitDeny, "identity"))
        );
        assert_eq!(result.and_then(|r| r.matched.first().and_then(|m| m.sid.clone())), Some("D".to_owned()));
    }

    #[test]
    fn test_r22_default_deny_and_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<PolicySet>();
        let result = evaluate("{}", ALICE);
        assert_eq!(result.map(|r| (r.decision, r.decided_by)), Some((Decision::ImplicitDeny, "default")));
    }
}
