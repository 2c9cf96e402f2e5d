//! The trace (issue 8; Python `iameval.reference.trace`): every statement of every layer, evaluated in full,
//! with what matched and what did not. Built only on request: the decision paths never call this module.

use crate::condition::{Clause, Family, Value};
use crate::evaluate::principal_namings;
use crate::facts::ContextView;
use crate::pattern::{resource_match_pieces, wildcard_match};
use crate::policy::{Effect, Statement};
use crate::principal::first_naming_entry;
use crate::request::{ContextValue, Request};
use crate::variables::{Part, resolve};

/// Whether one element of a statement is satisfied, and the pattern that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchDetail {
    /// Whether the element is satisfied.
    pub matched: bool,
    /// The pattern that matched (for `NotAction`/`NotResource`: the one that excluded the request).
    pub pattern: Option<String>,
}

/// One condition clause (one operator and one key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseTrace {
    /// The operator as written.
    pub operator: String,
    /// The key as written.
    pub key: String,
    /// The policy values as text.
    pub values: Vec<String>,
    /// The request's values of the key; `None` when it is missing.
    pub request_values: Option<Vec<String>>,
    /// Each distinct variable of the values (String and Arn operators): its name as written and the text
    /// substituted, `None` when it cannot be resolved (R13).
    pub variables: Vec<(String, Option<String>)>,
    /// Whether the clause holds.
    pub result: bool,
}

/// One statement, evaluated in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementTrace {
    /// Index of the policy in its layer.
    pub policy_index: usize,
    /// Index in the policy's Statement list.
    pub statement_index: usize,
    /// `Sid`.
    pub sid: Option<String>,
    /// Effect.
    pub effect: Effect,
    /// `Action` / `NotAction` (R3).
    pub action: MatchDetail,
    /// `Principal` / `NotPrincipal` (R5, R6); `None` when the statement has neither.
    pub principal: Option<MatchDetail>,
    /// `Resource` / `NotResource` (R4, R13).
    pub resource: MatchDetail,
    /// Every clause of the Condition block.
    pub conditions: Vec<ClauseTrace>,
    /// R7: whether the statement applies.
    pub applies: bool,
}

/// One layer (a policy type, or one SCP/RCP level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerTrace {
    /// `scp`, `rcp`, `vpc_endpoint`, `resource`, `identity`, `permission_boundary` or `session`.
    pub policy_type: &'static str,
    /// The SCP/RCP level.
    pub level: Option<usize>,
    /// Whether the layer takes part in the decision for this request.
    pub applies: bool,
    /// Every statement of the layer's policies, in order.
    pub statements: Vec<StatementTrace>,
}

/// Every layer, in evaluation order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    /// The layers.
    pub layers: Vec<LayerTrace>,
}

fn action_detail(statement: &Statement, action: &str) -> MatchDetail {
    let hit = statement.actions.iter().find(|pattern| wildcard_match(pattern, action, false));
    MatchDetail { matched: hit.is_some() != statement.not_action, pattern: hit.map(str::to_owned) }
}

fn resource_detail(statement: &Statement, request: &Request, resource_based: bool) -> MatchDetail {
    let Some(entries) = &statement.resources else {
        return MatchDetail { matched: true, pattern: None };
    };
    let fields = request.resource_fields();
    let decisive = entries.iter().find(|entry| {
        if entry.dead {
            return false;
        }
        if let Some(compiled) = &entry.compiled {
            return compiled.matches(fields.as_ref(), resource_based);
        }
        match resolve(&entry.template, ContextView::Map(&request.context)) {
            // R13: an unresolvable variable matches nothing, and leaves a NotResource list unsatisfied
            None => statement.not_resource,
            Some(pieces) => resource_match_pieces(&pieces, &request.resource, resource_based),
        }
    });
    MatchDetail {
        matched: decisive.is_some() != statement.not_resource,
        pattern: decisive.map(|e| e.text.clone()),
    }
}

fn principal_detail(statement: &Statement, request: &Request, has_boundary: bool) -> Option<MatchDetail> {
    let spec = statement.principal.as_ref()?;
    let matched = principal_namings(statement, request, has_boundary).is_some();
    let pattern = if statement.not_principal {
        None
    } else {
        first_naming_entry(spec, &request.caller).map(str::to_owned)
    };
    Some(MatchDetail { matched, pattern })
}

fn clause_detail(clause: &Clause, request: &Request) -> ClauseTrace {
    let context = &request.context;
    let request_values = context.get(&clause.key_lower).map(|value| match value {
        ContextValue::Single(text) => vec![text.clone()],
        ContextValue::Multi(items) => items.clone(),
    });
    let mut variables: Vec<(String, Option<String>)> = Vec::new();
    if matches!(clause.op.family, Family::String | Family::Arn) {
        for value in &clause.values {
            let (Value::Template(template) | Value::Arn(template, _)) = value else { continue };
            for part in template {
                let Part::Var(var) = part else { continue };
                if variables.iter().any(|(name, _)| *name == var.name) {
                    continue;
                }
                let substituted = match context.get(&var.key) {
                    Some(ContextValue::Single(text)) => Some(text.clone()),
                    _ => var.default.clone(),
                };
                variables.push((var.name.clone(), substituted));
            }
        }
    }
    ClauseTrace {
        operator: clause.op.written.clone(),
        key: clause.key.clone(),
        values: clause.texts.clone(),
        request_values,
        variables,
        result: clause.holds(context),
    }
}

/// One statement against the request, every element evaluated (no short circuit).
#[must_use]
pub fn trace_statement(
    statement: &Statement,
    policy_index: usize,
    request: &Request,
    resource_based: bool,
    has_boundary: bool,
) -> StatementTrace {
    let action = action_detail(statement, &request.action);
    let principal = principal_detail(statement, request, has_boundary);
    let resource = resource_detail(statement, request, resource_based);
    let conditions: Vec<ClauseTrace> =
        statement.conditions.iter().map(|c| clause_detail(c, request)).collect();
    let applies = action.matched
        && principal.as_ref().is_none_or(|p| p.matched)
        && resource.matched
        && conditions.iter().all(|c| c.result);
    StatementTrace {
        policy_index,
        statement_index: statement.index,
        sid: statement.sid.as_deref().map(str::to_owned),
        effect: statement.effect,
        action,
        principal,
        resource,
        conditions,
        applies,
    }
}
