//! One statement against one request (IAM_RULES R3, R4, R5-R7, R8-R13; Python
//! `iameval.reference.evaluate`): does it apply? Nothing here knows of combining Allow and Deny.

use crate::condition::constant::SubstitutedEntry;
use crate::facts::{ContextView, Facts};
use crate::pattern::{joins_plainly, resource_match_pieces_fields, wildcard_match};
use crate::policy::{Effect, ResourceEntry, Statement};
use crate::principal::{Naming, Namings, exempt_from_not_principal, namings};
use crate::request::Request;
use crate::resource_pattern::ResourcePattern;
use crate::variables::{Part, Var, resolve};

/// The outcome for one statement whose action and principal match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementMatch<'a> {
    /// Whether the statement applies (resource and conditions hold too).
    pub applies: bool,
    /// How the caller was named.
    pub namings: Namings,
    /// Condition keys and variables without default that the context lacks: (as written, lowercased).
    pub missing_keys: Vec<(&'a str, &'a str)>,
}

/// R3: case-insensitive `*`/`?` match (both sides lowercased already); NotAction matches what is not listed.
#[must_use]
pub fn action_matches(statement: &Statement, action: &str) -> bool {
    statement.actions.iter().any(|pattern| wildcard_match(pattern, action, false)) != statement.not_action
}

/// R4 with R13: Resource / NotResource against the request resource (fail closed on unresolvable variables).
#[must_use]
pub fn resource_matches(statement: &Statement, facts: &mut Facts<'_>, resource_based: bool) -> bool {
    let Some(entries) = &statement.resources else {
        return true;
    };
    let mut hit = false;
    for entry in entries {
        if entry.dead {
            continue;
        }
        if let Some(compiled) = &entry.compiled {
            // no variable: the compiled pattern against the request's fields (split once per decision)
            if compiled.matches(facts.fields().as_ref(), resource_based) {
                hit = true;
                if !statement.not_resource {
                    return true;
                }
            }
            continue;
        }
        match template_matches(entry, facts, resource_based) {
            // an unresolvable variable (R13): the entry matches nothing, and NotResource fails closed
            None if statement.not_resource => return false,
            Some(true) => {
                hit = true;
                if !statement.not_resource {
                    return true;
                }
            }
            None | Some(false) => {}
        }
    }
    hit != statement.not_resource
}

/// Whether the Resource entry with variables `entry` matches the request resource (`None`: a variable cannot
/// be resolved, R13): substituted once for a run with a constant context, else per request.
fn template_matches(entry: &ResourceEntry, facts: &mut Facts<'_>, resource_based: bool) -> Option<bool> {
    if facts.constant.is_some()
        && let Some(kept) = substituted_matches(entry, facts, resource_based)
    {
        return kept;
    }
    let pieces = resolve(&entry.template, facts.context)?;
    let fields = facts.fields();
    Some(resource_match_pieces_fields(&pieces, &facts.request.resource, fields.as_ref(), resource_based))
}

/// Whether the Resource entry with variables `entry`, as substituted for the run with a constant context,
/// matches the request resource: `Some(None)` when it cannot be resolved (R13), `None` when the run does not
/// keep it (it is then matched per request). Out of [`resource_matches`]'s loop: its other paths stay small.
#[inline(never)]
fn substituted_matches(
    entry: &ResourceEntry,
    facts: &mut Facts<'_>,
    resource_based: bool,
) -> Option<Option<bool>> {
    let (constant, fields, context) = facts.constant_run()?;
    if constant.entry(entry.number)? == &SubstitutedEntry::Unknown {
        constant.remember_entry(entry.number, substitute(&entry.template, context));
    }
    match constant.entry(entry.number)? {
        SubstitutedEntry::Unresolvable => Some(None),
        SubstitutedEntry::Compiled(pattern) => Some(Some(pattern.matches(fields.as_ref(), resource_based))),
        SubstitutedEntry::Unknown | SubstitutedEntry::PerRequest => None,
    }
}

/// A Resource entry with variables substituted from `context` for a run that keeps it
/// ([`crate::condition::constant`]): compiled when its substitution is a plain pattern, which
/// [`resource_match_pieces_fields`] matches as that pattern joined (one glob piece, or plain pieces that do
/// not join into `*` alone).
fn substitute(template: &[Part], context: ContextView<'_>) -> SubstitutedEntry {
    let Some(pieces) = resolve(template, context) else {
        return SubstitutedEntry::Unresolvable;
    };
    if !joins_plainly(&pieces) {
        return SubstitutedEntry::PerRequest;
    }
    let joined: String = pieces.iter().map(|piece| piece.text()).collect();
    // (`*` from several pieces needs every other piece empty: a variable before the fifth colon, a dead
    // entry that never gets here; kept per request all the same, as resource_match_pieces_fields treats it)
    if joined == "*" && pieces.len() != 1 {
        return SubstitutedEntry::PerRequest;
    }
    SubstitutedEntry::Compiled(ResourcePattern::new(&joined))
}

/// R5/R6: how the statement's Principal names the caller; `None` when it does not apply to the caller.
#[must_use]
pub fn principal_namings(statement: &Statement, request: &Request, has_boundary: bool) -> Option<Namings> {
    let Some(spec) = &statement.principal else {
        return Some(Namings::one(Naming::Implicit));
    };
    if statement.not_principal {
        if statement.effect == Effect::Deny && has_boundary {
            return Some(Namings::one(Naming::NotPrincipal));
        }
        if exempt_from_not_principal(spec, &request.caller) {
            return None;
        }
        return Some(Namings::one(Naming::NotPrincipal));
    }
    let found = namings(spec, &request.caller);
    (!found.is_empty()).then_some(found)
}

fn unresolvable(var: &Var, context: ContextView<'_>) -> bool {
    var.default.is_none() && context.get(var.slot, &var.key).is_none()
}

/// Each condition key and variable without default of `statement` that the context lacks, in the order
/// written: `missing(as written, lowercased)`.
fn visit_missing_keys<'a>(
    statement: &'a Statement,
    context: ContextView<'_>,
    missing: &mut impl FnMut(&'a str, &'a str),
) {
    for clause in &statement.conditions {
        if context.get(clause.slot, &clause.key_lower).is_none() {
            missing(clause.key.as_str(), clause.key_lower.as_str());
        }
        for v in clause.variables().filter(|v| unresolvable(v, context)) {
            missing(v.name.as_str(), v.key.as_str());
        }
    }
    for entry in statement.resources.iter().flatten() {
        for part in &entry.template {
            if let Part::Var(var) = part
                && unresolvable(var, context)
            {
                missing(var.name.as_str(), var.key.as_str());
            }
        }
    }
}

/// R7's last two parts: the Resource / NotResource element and every condition hold.
fn resource_and_conditions_hold(statement: &Statement, facts: &mut Facts<'_>, resource_based: bool) -> bool {
    resource_matches(statement, facts, resource_based)
        && statement.conditions.iter().all(|clause| facts.holds(clause))
}

/// R7: a statement applies when action, resource, principal (where present) and all conditions match.
/// `None` when the action or the principal does not match.
#[must_use]
pub fn match_statement<'a>(
    statement: &'a Statement,
    request: &Request,
    resource_based: bool,
    has_boundary: bool,
) -> Option<StatementMatch<'a>> {
    if !action_matches(statement, &request.action) {
        return None;
    }
    match_when_action_matches(statement, &mut Facts::new(request), resource_based, has_boundary)
}

/// [`match_statement`] for a statement whose action is known to match (the action index checked it).
#[must_use]
pub fn match_when_action_matches<'a>(
    statement: &'a Statement,
    facts: &mut Facts<'_>,
    resource_based: bool,
    has_boundary: bool,
) -> Option<StatementMatch<'a>> {
    let mut missing_keys = Vec::new();
    let (applies, namings) =
        match_visiting_missing_keys(statement, facts, resource_based, has_boundary, &mut |w, l| {
            missing_keys.push((w, l));
        })?;
    Some(StatementMatch { applies, namings, missing_keys })
}

/// [`match_when_action_matches`] giving each missing key to `missing` (as written, lowercased) instead of
/// gathering them: `Some((applies, namings))` when the principal matches.
pub fn match_visiting_missing_keys<'a>(
    statement: &'a Statement,
    facts: &mut Facts<'_>,
    resource_based: bool,
    has_boundary: bool,
    missing: &mut impl FnMut(&'a str, &'a str),
) -> Option<(bool, Namings)> {
    let named = principal_namings(statement, facts.request, has_boundary)?;
    visit_missing_keys(statement, facts.context, missing);
    Some((resource_and_conditions_hold(statement, facts, resource_based), named))
}

/// R7 for a statement whose action matches: `Some(namings)` when principal, resource and conditions all
/// hold (the decision-only path: no missing keys are gathered). `number`: the statement's number in its set,
/// under which a run with a constant context keeps whether its conditions hold
/// ([`crate::condition::constant`]; then they are evaluated before the resource, once per run).
#[must_use]
pub fn statement_applies(
    statement: &Statement,
    facts: &mut Facts<'_>,
    resource_based: bool,
    has_boundary: bool,
    number: u32,
) -> Option<Namings> {
    let named = principal_namings(statement, facts.request, has_boundary)?;
    // (`facts.constant` is only set for a run that keeps answers: PolicySet::run)
    if statement.conditions.is_empty() || facts.constant.is_none() {
        return resource_and_conditions_hold(statement, facts, resource_based).then_some(named);
    }
    let hold = match facts.constant.as_deref().and_then(|c| c.known(number)) {
        Some(hold) => hold,
        None => {
            // the conditions read the context alone (R8-R13), which the run does not change
            let hold = statement.conditions.iter().all(|clause| facts.holds(clause));
            if let Some(constant) = facts.constant.as_deref_mut() {
                constant.remember(number, hold);
            }
            hold
        }
    };
    (hold && resource_matches(statement, facts, resource_based)).then_some(named)
}
