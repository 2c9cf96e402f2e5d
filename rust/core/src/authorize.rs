//! Combining policy types into a decision (IAM_RULES R14-R22; Python `iameval.reference.authorize`).
//!
//! The order follows AWS's evaluation flow: GetCallerIdentity (R20); explicit Deny anywhere (R14); SCP
//! levels (R15); RCPs only deny (R16); then the grant: the account root (R20a), same-account identity and
//! resource-based grants with the R18 table, trust and KMS key policies that must allow explicitly (R19),
//! or both sides of a cross-account request (R21).

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxBuildHasher;
use std::sync::Arc;

use crate::action_index::{ActionIndex, Candidates, DecisionCandidates, Probe};
use crate::condition::Value;
use crate::condition::constant::ConstantConditions;
use crate::condition::memo::{self, ClauseMemo};
use crate::error::{Error, ErrorEntry, ErrorKind, PathSegment};
use crate::evaluate::{match_visiting_missing_keys, statement_applies};
use crate::facts::{ContextView, Facts, KeyValue, NO_SLOT, Slot};
use crate::json::Json;
use crate::pattern::{find_bytes, lowercase};
use crate::policy::{Effect, Kind, Policy, Statement, read_policy};
use crate::principal::{Naming, Namings};
use crate::public_access::{BlockPublicAccess, public_statements};
use crate::rcp_services::rcp_applies;
use crate::request::{CallerKind, Request};
use crate::resource_pattern::ResourcePattern;
use crate::result::{Decision, Evaluation, MatchedStatement};
use crate::trace::{LayerTrace, Trace, trace_statement};
use crate::variables::Part;

/// The keys of a vector's `policies` object (and of [`PolicySet::new`]'s arguments), in that order.
pub const POLICY_KEYS: [&str; 8] = [
    "identity",
    "resource",
    "permission_boundary",
    "session",
    "scps",
    "rcps",
    "vpc_endpoint",
    "s3_block_public_access",
];

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

/// The policies of one layer (the identity policies, the resource-based policy, the boundary, the session
/// policy, one SCP or RCP level), their statements in order, and the action index over them.
#[derive(Debug)]
struct Layer {
    policies: Vec<Policy>,
    /// Position in the layer -> where its statement is.
    flat: Vec<At>,
    index: ActionIndex,
    resource_based: bool,
    /// The layer's number in the set ([`Compiled::layers`] order), for [`Plans`].
    slot: usize,
    /// The set-wide number of its first statement (its position `p` is statement `first + p` of the set,
    /// for [`ConstantConditions`]).
    first: u32,
}

/// Where the statement of a layer position is (12 bytes: a layer keeps one per statement).
#[derive(Debug, Clone, Copy)]
struct At {
    /// The policy's index in the layer.
    policy: u32,
    /// The statement's index in `policy.statements`.
    statement: u32,
    /// The statement applies whenever its action matches (no Principal, no Condition, `Resource` `*` or
    /// none), so a decision need not evaluate it.
    plain: bool,
    /// Whether it applies or not whatever the resource is (no Resource, or a `*` among its Resource /
    /// NotResource entries): its outcome under a fixed caller and context depends on the action alone.
    resource_free: bool,
}

/// Whether `statement`'s Resource / NotResource element answers alike for every resource (see
/// [`At::resource_free`]): a `*` entry matches every resource (R4), so Resource holds and NotResource
/// fails whatever the other entries say.
fn is_resource_free(statement: &Statement) -> bool {
    statement.resources.as_ref().is_none_or(|entries| {
        entries.iter().any(|entry| !entry.dead && entry.compiled == Some(ResourcePattern::Star))
    })
}

/// Whether `statement` applies to every request its action matches (see [`At::plain`]).
fn is_plain(statement: &Statement) -> bool {
    statement.principal.is_none()
        && statement.conditions.is_empty()
        && !statement.not_resource
        && is_resource_free(statement)
}

impl Layer {
    fn new(policies: Vec<Policy>) -> Self {
        // positions are u32 throughout (the action index's too): a layer's JSON cannot hold 2^32 statements
        let flat: Vec<At> = policies
            .iter()
            .enumerate()
            .flat_map(|(p, policy)| {
                policy.statements.iter().enumerate().map(move |(s, st)| At {
                    policy: u32::try_from(p).unwrap_or(u32::MAX),
                    statement: u32::try_from(s).unwrap_or(u32::MAX),
                    plain: is_plain(st),
                    resource_free: is_resource_free(st),
                })
            })
            .collect();
        let statements: Vec<&Statement> = policies.iter().flat_map(|p| &p.statements).collect();
        let index = ActionIndex::build(&statements);
        let resource_based = policies.iter().any(|p| p.kind == Kind::Resource);
        Self { policies, flat, index, resource_based, slot: 0, first: 0 }
    }

    /// Append the positions of the statements whose action clause matches the lowercased `action`, each
    /// once, Deny statements first, then plain Allows ([`At::plain`]), then the other Allows (each group in
    /// policy order): a decision that meets an applicable Deny stops there, so the Allow statements behind it
    /// are never evaluated, and a layer that only needs some Allow has one without evaluating any when it
    /// has a plain one (a decision's outcome does not depend on the order; explanations do not use plans).
    /// `found`: a buffer to work in (emptied first; it keeps its room for the next call).
    fn push_matching(&self, action: &str, out: &mut Vec<u32>, found: &mut Vec<u32>) {
        found.clear();
        self.index.push_matching(action, found);
        let rank = |position: u32| match self.visit(position) {
            Some((_, st, _)) if st.effect == Effect::Deny => 0,
            Some((_, _, at)) if at.plain => 1,
            _ => 2,
        };
        found.sort_unstable_by_key(|&position| (rank(position), position));
        found.dedup();
        out.extend_from_slice(found);
    }

    fn statement(&self, position: u32) -> Option<(usize, &Statement)> {
        self.visit(position).map(|(p, st, _)| (p, st))
    }

    /// The policy index, statement and plain flag ([`At::plain`]) of a position: one lookup.
    fn visit(&self, position: u32) -> Option<(usize, &Statement, At)> {
        let at = self.flat.get(usize::try_from(position).ok()?)?;
        self.at(at).map(|(p, st)| (p, st, *at))
    }

    /// The policy index and statement `at` names.
    fn at(&self, at: &At) -> Option<(usize, &Statement)> {
        let p = usize::try_from(at.policy).ok()?;
        Some((p, self.policies.get(p)?.statements.get(usize::try_from(at.statement).ok()?)?))
    }
}

#[derive(Debug)]
struct Compiled {
    /// Every context key (lowercased) that some statement reads, plus `aws:principalarn` (R15's
    /// service-linked check), and its slot in the compiled request layout ([`crate::facts`]): no other key
    /// can change a decision or an explanation.
    key_slots: HashMap<String, Slot, FxBuildHasher>,
    /// The same keys in slot order: `slot_keys[slot]` is the key of `slot`.
    slot_keys: Vec<String>,
    /// The slots of the keys as the policies spell them where that is not the lowercased key (condition
    /// keys and variables as written, `aws:PrincipalArn` under SCPs): a request mostly spells its keys as the
    /// policies do, and then finds the slot without lowercasing the key ([`PolicySet::slot_of_spelling`]).
    /// (A sorted slice would take ~100 bytes less per set of a few keys, but its binary search cost a W1
    /// `evaluate()` ~900 more instructions than this map's lookup.)
    key_spellings: HashMap<Box<str>, Slot, FxBuildHasher>,
    /// The slot of `aws:principalarn`.
    principal_arn_slot: Slot,
    identity: Layer,
    resource: Option<Box<Layer>>,
    boundary: Option<Box<Layer>>,
    session: Option<Box<Layer>>,
    scps: Option<Vec<Layer>>,
    rcps: Option<Vec<Layer>>,
    /// R20b: the policy of the VPC endpoint the requests go through.
    vpc_endpoint: Option<Box<Layer>>,
    /// R20c: the S3 Block Public Access setting.
    block_public_access: BlockPublicAccess,
    /// R20c: the statements (indexes) that make the resource-based policy public; empty: not public.
    public_statements: Vec<usize>,
    /// A number no other compiled set has (for [`Plans`]).
    id: u64,
    /// The number of layers.
    layer_count: usize,
    /// The number of clauses with a memo number ([`crate::condition::memo`]).
    memo_count: usize,
    /// The number of statements, every layer's ([`Layer::first`]).
    statement_count: usize,
    /// The number of Resource / NotResource entries with variables ([`crate::policy::ResourceEntry::number`]).
    template_count: usize,
}

impl Compiled {
    /// Every layer, each SCP and RCP level on its own, in a fixed order (their `slot`s).
    fn layers(&self) -> impl Iterator<Item = &Layer> {
        std::iter::once(&self.identity)
            .chain(self.resource.as_deref())
            .chain(self.boundary.as_deref())
            .chain(self.session.as_deref())
            .chain(self.scps.iter().flatten())
            .chain(self.rcps.iter().flatten())
            .chain(self.vpc_endpoint.as_deref())
    }

    /// Give every context key that a clause or a variable reads a slot ([`crate::facts`]), in the order
    /// first met, and record it in the clauses and variables.
    fn number_keys(&mut self) {
        let mut slots: HashMap<String, Slot, FxBuildHasher> = HashMap::default();
        let mut keys: Vec<String> = Vec::new();
        let mut slot_of = |key: &str| -> Slot {
            if let Some(&slot) = slots.get(key) {
                return slot;
            }
            // a set reads far fewer than u32::MAX keys (its JSON is bounded); were it not, the key would keep
            // NO_SLOT and be read by name
            let Ok(slot) = Slot::try_from(slots.len()) else { return NO_SLOT };
            if slot != NO_SLOT {
                slots.insert(key.to_owned(), slot);
                keys.push(key.to_owned());
            }
            slot
        };
        self.principal_arn_slot = slot_of("aws:principalarn");
        let mut spellings: HashMap<Box<str>, Slot, FxBuildHasher> = HashMap::default();
        let mut spelled = |written: &str, slot: Slot| {
            if slot != NO_SLOT
                && written.bytes().any(|b| b.is_ascii_uppercase())
                && !spellings.contains_key(written)
            {
                spellings.insert(written.into(), slot);
            }
        };
        if self.scps.is_some() {
            // R15 reads it for SCPs (statements that read it add their own spelling below)
            spelled("aws:PrincipalArn", self.principal_arn_slot);
        }
        let mut memo_count = 0;
        let mut template_count = 0;
        for layer in self.layers_mut() {
            for statement in layer.policies.iter_mut().flat_map(|p| &mut p.statements) {
                for clause in &mut statement.conditions {
                    clause.slot = slot_of(&clause.key_lower);
                    spelled(&clause.key, clause.slot);
                    if memo_count < memo::MAX_CLAUSES
                        && memo::worth_remembering(clause)
                        && let Ok(id) = memo::MemoId::try_from(memo_count)
                    {
                        clause.memo = id;
                        memo_count += 1;
                    }
                    for value in &mut clause.values {
                        if let Value::Template(template) | Value::Arn(template, _) = value {
                            number_vars(template, &mut slot_of, &mut spelled);
                        }
                    }
                }
                for entry in statement.resources.iter_mut().flatten() {
                    number_vars(&mut entry.template, &mut slot_of, &mut spelled);
                    if entry.compiled.is_none()
                        && !entry.dead
                        && let Ok(number) = u32::try_from(template_count)
                        && number != crate::policy::NO_ENTRY
                    {
                        entry.number = number;
                        template_count += 1;
                    }
                }
            }
        }
        self.key_slots = slots;
        self.slot_keys = keys;
        spellings.shrink_to_fit();
        self.key_spellings = spellings;
        self.memo_count = memo_count;
        self.template_count = template_count;
    }

    /// [`Compiled::layers`], mutable.
    fn layers_mut(&mut self) -> impl Iterator<Item = &mut Layer> {
        std::iter::once(&mut self.identity)
            .chain(self.resource.as_deref_mut())
            .chain(self.boundary.as_deref_mut())
            .chain(self.session.as_deref_mut())
            .chain(self.scps.iter_mut().flatten())
            .chain(self.rcps.iter_mut().flatten())
            .chain(self.vpc_endpoint.as_deref_mut())
    }

    /// Number the layers in [`Compiled::layers`] order.
    fn number_layers(&mut self) {
        let (mut slot, mut first) = (0, 0_usize);
        for layer in self.layers_mut() {
            layer.slot = slot;
            // a set's JSON cannot hold 2^32 statements (positions are u32 too); were it to, numbers would
            // saturate and ConstantConditions would not start for the set (see `start`)
            layer.first = u32::try_from(first).unwrap_or(u32::MAX);
            first = first.saturating_add(layer.flat.len());
            slot += 1;
        }
        self.layer_count = slot;
        self.statement_count = first;
    }
}

/// The most actions one [`Plans`] keeps for its set; past it, a decision finds its candidates
/// through the action indexes as [`PolicySet::decide`] does.
const MAX_PLANS: usize = 1 << 16;

/// No plan for this action number yet ([`Plans::numbered`]).
const NO_PLAN: u32 = u32::MAX;

/// A numbering of actions no other has (for [`Plans::number_actions`]: one per grid call).
pub(crate) fn new_numbering() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Per-action plans of one policy set: for an action, every layer's statements whose action clause matches
/// it (each once, Denies first), found once and kept, so that the rows of a batch with the same action find
/// their candidate statements with one hash lookup instead of a few per layer. Built by the batch path, which
/// keeps a few between calls (`batch::kept_plans`); at most [`MAX_PLANS`] actions; reset when used with another
/// set.
#[derive(Debug, Default)]
pub struct Plans {
    /// The set the plans are of ([`Compiled::id`]; 0: none yet).
    set: u64,
    /// Action -> index into `bounds` of its `layer_count + 1` offsets into `positions`.
    spans: HashMap<Box<str>, u32, FxBuildHasher>,
    /// Action number -> the same index (`NO_PLAN`: none yet), for callers that number their actions
    /// ([`PolicySet::decide_numbered`]: a grid's actions are the same for every principal).
    numbered: Vec<u32>,
    /// The numbering `numbered` is of ([`Plans::number_actions`]; 0: none): action numbers mean nothing
    /// from one grid call to the next.
    numbering: u64,
    bounds: Vec<u32>,
    positions: Vec<u32>,
    /// Where a plan's layer candidates are gathered (kept: building a plan allocates nothing once warm).
    found: Vec<u32>,
    /// The set's remembered clause answers.
    memo: ClauseMemo,
    /// The statements' answers under a constant context, while a run has one.
    constant: ConstantConditions,
    /// The layers' outcomes for one action under a fixed caller and context.
    statics: StaticOutcomes,
}

/// The number of values of [`PolicySet::resource_facts`].
const RESOURCE_FACTS: usize = 8;

/// An action's decisions by [`PolicySet::resource_facts`] ([`StaticOutcomes`]).
type Decisions = [Option<Decision>; RESOURCE_FACTS];

/// No decision kept.
const NO_DECISIONS: Decisions = [None; RESOURCE_FACTS];

/// The outcomes of a set's layers for one numbered action ([`PolicySet::decide_numbered`]) in a run with a
/// fixed caller and context ([`crate::condition::constant`]: a grid principal's cells): a layer whose scan
/// evaluated no statement that reads the resource ([`At::resource_free`]; plain statements read nothing)
/// says the same for every resource, so the principal's next cells of the action take its outcome instead
/// of scanning it again. The cells differ in their resource alone (and its account, which a layer's
/// statements do not read: R1's accounts are read by the grant, [`grant`], after the scans).
///
/// A `decide_many` run with one caller and one context keeps them for every action it meets, by its plan
/// ([`StaticOutcomes::for_plan`]): its rows come in any order of actions.
///
/// When every layer a decision consulted gave a kept outcome (or was scanned without reading the
/// resource), the decision itself depends on the resource only through what the flow reads of it after the
/// scans ([`PolicySet::resource_facts`]): it is kept too, by those facts, for the action's next cells.
#[derive(Debug, Default)]
struct StaticOutcomes {
    /// The action number the outcomes are of (`None`: none).
    action: Option<usize>,
    /// One per layer slot.
    outcomes: Vec<Option<Outcome>>,
    /// The action's decisions by [`PolicySet::resource_facts`], where no layer read the resource.
    decisions: Decisions,
    /// Per plan: one per layer slot at the plan's start in [`Plans::bounds`] (the plans of text actions).
    by_plan: Vec<Option<Outcome>>,
    /// Per plan (by its number): its decisions as `decisions` keeps them.
    by_plan_decisions: Vec<Decisions>,
}

impl StaticOutcomes {
    /// Forget every outcome.
    fn reset(&mut self) {
        self.action = None;
        self.outcomes.clear();
        self.decisions = NO_DECISIONS;
        self.by_plan.clear();
        self.by_plan_decisions.clear();
    }

    /// The outcomes of the `layers` layers of the plan that starts at `start`, and its kept decisions
    /// (`None`: no room for them).
    fn for_plan(&mut self, start: usize, layers: usize) -> Option<(&mut [Option<Outcome>], &mut Decisions)> {
        let end = start.checked_add(layers)?;
        if self.by_plan.len() < end {
            self.by_plan.try_reserve(end - self.by_plan.len()).ok()?;
            self.by_plan.resize(end, None);
        }
        // a plan's start is a multiple of layers + 1 (Plans::bounds)
        let plan = start / layers.saturating_add(1);
        if self.by_plan_decisions.len() <= plan {
            self.by_plan_decisions.try_reserve(plan + 1 - self.by_plan_decisions.len()).ok()?;
            self.by_plan_decisions.resize(plan + 1, NO_DECISIONS);
        }
        Some((self.by_plan.get_mut(start..end)?, self.by_plan_decisions.get_mut(plan)?))
    }

    /// The outcomes of the action [`StaticOutcomes::use_action`] made current, and its kept decisions.
    fn for_action(&mut self) -> (&mut [Option<Outcome>], &mut Decisions) {
        (&mut self.outcomes, &mut self.decisions)
    }

    /// Make the outcomes those of action `number` of a set of `layers` layers (forgotten when they were of
    /// another action); `false` when there is no room for them.
    fn use_action(&mut self, number: usize, layers: usize) -> bool {
        if self.action != Some(number) || self.outcomes.len() != layers {
            self.outcomes.clear();
            self.decisions = NO_DECISIONS;
            if self.outcomes.try_reserve(layers).is_err() {
                self.action = None;
                return false;
            }
            self.outcomes.resize(layers, None);
            self.action = Some(number);
        }
        true
    }
}

/// The plan of one action: its candidate statements per layer slot.
#[derive(Debug, Clone, Copy)]
struct Plan<'p> {
    bounds: &'p [u32],
    positions: &'p [u32],
}

impl<'p> Plan<'p> {
    fn layer(&self, slot: usize) -> Option<&'p [u32]> {
        let start = usize::try_from(*self.bounds.get(slot)?).ok()?;
        let end = usize::try_from(*self.bounds.get(slot + 1)?).ok()?;
        self.positions.get(start..end)
    }
}

impl Plans {
    /// The id of the set the plans are of (0: none yet).
    pub(crate) const fn set_id(&self) -> u64 {
        self.set
    }

    /// The plan of the lowercased `action` in `set`, built on first use (`None` when the cache is full),
    /// the set's clause memo, its answers under a constant context and its layers' outcomes for an action.
    /// `number`: the action's number, when the caller numbers its actions (its plan is then found by it).
    fn plan(
        &mut self,
        set: &Compiled,
        action: &str,
        number: Option<usize>,
    ) -> (Option<(Plan<'_>, usize)>, &mut ClauseMemo, &mut ConstantConditions, &mut StaticOutcomes) {
        self.use_set(set);
        let start = self.find(set, action, number);
        let plan = start.and_then(|start| {
            let bounds = self.bounds.get(start..start + set.layer_count + 1)?;
            Some((Plan { bounds, positions: &self.positions }, start))
        });
        (plan, &mut self.memo, &mut self.constant, &mut self.statics)
    }

    /// Make the plans those of `set`: when they are another set's, they and the answers start empty (the
    /// buffers keep their room, for a grid's next principal).
    fn use_set(&mut self, set: &Compiled) {
        if self.set != set.id {
            self.set = set.id;
            self.spans.clear();
            self.numbered.clear();
            self.bounds.clear();
            self.positions.clear();
            self.memo.reset(set.memo_count);
            self.constant.stop();
            self.statics.reset();
        }
    }

    /// Use the action numbers of `numbering` (a number no other numbering has, [`new_numbering`]) with
    /// [`PolicySet::decide_numbered`] from now on: plans found by another numbering's numbers are
    /// forgotten (they stay found by their text).
    pub(crate) fn number_actions(&mut self, numbering: u64) {
        if self.numbering != numbering {
            self.numbering = numbering;
            self.numbered.clear();
            self.statics.reset();
        }
    }

    /// Start a run of decisions on `set` whose requests all have the same context, and the same caller when
    /// `caller_fixed` ([`crate::condition::constant`]): until [`Plans::end_constant_context`], the statements'
    /// condition answers (and R15's service-linked check) are kept. Starting again forgets them: call it
    /// whenever the context changes.
    pub(crate) fn start_constant_context(&mut self, set: &PolicySet, caller_fixed: bool) {
        self.use_set(&set.inner);
        self.constant.start(set.inner.statement_count, set.inner.template_count, caller_fixed);
        self.statics.reset();
    }

    /// End the run [`Plans::start_constant_context`] started.
    pub(crate) fn end_constant_context(&mut self) {
        self.constant.stop();
        self.statics.reset();
    }

    /// Where the plan of `action` (numbered `number`, when it is) starts in `bounds`, built on first use
    /// (`None`: too many plans).
    fn find(&mut self, set: &Compiled, action: &str, number: Option<usize>) -> Option<usize> {
        let known = match number {
            Some(number) => self.numbered.get(number).copied().filter(|&start| start != NO_PLAN),
            None => self.spans.get(action).copied(),
        };
        let start = match known {
            Some(start) => start,
            None => {
                // each plan is `layer_count + 1` bounds
                if self.bounds.len() / (set.layer_count + 1) >= MAX_PLANS {
                    return None;
                }
                let Self { bounds, positions, found, .. } = self;
                let start = u32::try_from(bounds.len()).ok().filter(|&start| start != NO_PLAN)?;
                for layer in set.layers() {
                    bounds.push(u32::try_from(positions.len()).ok()?);
                    layer.push_matching(action, positions, found);
                }
                bounds.push(u32::try_from(positions.len()).ok()?);
                match number {
                    Some(number) => {
                        if self.numbered.len() <= number {
                            let more = number + 1 - self.numbered.len();
                            self.numbered.try_reserve(more).ok()?;
                            self.numbered.resize(number + 1, NO_PLAN);
                        }
                        *self.numbered.get_mut(number)? = start;
                    }
                    None => {
                        self.spans.insert(Box::from(action), start);
                    }
                }
                start
            }
        };
        usize::try_from(start).ok()
    }
}

/// An immutable, cheaply cloned set of policies (identity, resource-based, permissions boundary, session
/// policy, SCP levels, RCP levels), read once and compiled (statements indexed by action); `Send + Sync`.
#[derive(Debug, Clone)]
pub struct PolicySet {
    inner: Arc<Compiled>,
}

/// What one layer says about a request: whether a Deny and an Allow applied, and how the Allows named the
/// caller (used for the resource-based layer, R18).
#[derive(Debug, Clone, Copy, Default)]
struct Outcome {
    deny: bool,
    allow: bool,
    namings: Namings,
}

/// What a decision needs from a layer's Allow statements (lets [`PolicySet::decide`] skip work).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Only Denies matter (RCPs: they never grant).
    DenyOnly,
    /// Whether some Allow applies.
    AnyAllow,
    /// Every applicable Allow's namings (the resource-based layer).
    AllAllows,
}

/// The explanation gathered by [`PolicySet::evaluate`]: every applicable statement and missing key.
#[derive(Default)]
struct Explain<'a> {
    /// Missing keys seen, lowercased.
    seen: HashSet<&'a str, FxBuildHasher>,
    /// Missing keys in the order first seen, as written.
    missing: Vec<&'a str>,
    denies: Vec<MatchedStatement>,
    allows: Vec<MatchedStatement>,
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

fn single(value: Option<&Json>, kind: Kind, location: &str, errors: &mut Vec<ErrorEntry>) -> Option<Policy> {
    match value {
        None | Some(Json::Null) => None,
        Some(source) => read_policy(source, kind, location).map_err(|e| errors.extend(e)).ok(),
    }
}

fn levels(
    value: Option<&Json>,
    kind: Kind,
    location: &str,
    errors: &mut Vec<ErrorEntry>,
) -> Option<Vec<Layer>> {
    if value.is_none_or(Json::is_null) {
        return None;
    }
    let mut out = Vec::new();
    for (i, level) in as_list(value, location, errors).iter().enumerate() {
        let where_ = format!("{location}/{i}");
        let policies = as_list(Some(level), &where_, errors);
        out.push(Layer::new(parse_list(policies, kind, &where_, errors)));
    }
    Some(out)
}

/// Give the variables of `template` their slots.
fn number_vars(
    template: &mut [Part],
    slot_of: &mut impl FnMut(&str) -> Slot,
    spelled: &mut impl FnMut(&str, Slot),
) {
    for part in template {
        if let Part::Var(var) = part {
            var.slot = slot_of(&var.key);
            spelled(&var.name, var.slot);
        }
    }
}

fn is_service_linked(request: &Request, context: ContextView<'_>, principal_arn_slot: Slot) -> bool {
    let caller = &request.caller;
    match caller.kind {
        CallerKind::Role => caller.role_path.as_deref().unwrap_or("").starts_with("/aws-service-role/"),
        CallerKind::Session => matches!(
            context.get(principal_arn_slot, "aws:principalarn"),
            Some(KeyValue::Single(arn)) if find_bytes(arn.as_bytes(), b":role/aws-service-role/").is_some()
        ),
        _ => false,
    }
}

fn is_strict(request: &Request) -> bool {
    let assume = request.action.starts_with("sts:assumerole");
    if !assume && request.service != "kms" {
        return false; // most requests: no resource to split
    }
    let Some([_, _, service, _, _, resource]) = request.resource_fields() else {
        return false;
    };
    if assume {
        return lowercase(service) == "iam" && resource.starts_with("role/");
    }
    if request.service == "kms" {
        return lowercase(service) == "kms" && resource.starts_with("key/");
    }
    false
}

impl PolicySet {
    /// Build from policies given as JSON values (a [`Json::String`] is JSON text), one per key of
    /// [`POLICY_KEYS`], in that order: `identity` a list, `resource`, `permission_boundary` and `session`
    /// single policies, `scps` and `rcps` lists of levels, `vpc_endpoint` a single (resource-based) policy
    /// (R20b), `s3_block_public_access` a boolean or a `PublicAccessBlockConfiguration` object (R20c).
    /// `None` or [`Json::Null`] means none (for `scps`/`rcps`: not governed).
    ///
    /// # Errors
    /// [`Error::Policy`] listing every problem in every policy.
    pub fn new(sources: [Option<&Json>; 8]) -> Result<Self, Error> {
        let [identity, resource, permission_boundary, session, scps, rcps, vpc_endpoint, block_public_access] =
            sources;
        let mut errors = Vec::new();
        let identity_sources = as_list(identity, "identity", &mut errors);
        let identity = parse_list(identity_sources, Kind::Identity, "identity", &mut errors);
        let resource = single(resource, Kind::Resource, "resource", &mut errors);
        let boundary =
            single(permission_boundary, Kind::PermissionBoundary, "permission_boundary", &mut errors);
        let session = single(session, Kind::Session, "session", &mut errors);
        let scps = levels(scps, Kind::Scp, "scps", &mut errors);
        let rcps = levels(rcps, Kind::Rcp, "rcps", &mut errors);
        // R20b: the endpoint policy has the grammar of a resource-based policy (it has a Principal)
        let vpc_endpoint = single(vpc_endpoint, Kind::Resource, "vpc_endpoint", &mut errors);
        let block_public_access = BlockPublicAccess::read(block_public_access).unwrap_or_else(|problems| {
            errors.extend(problems);
            BlockPublicAccess::default()
        });
        if !errors.is_empty() {
            return Err(Error::Policy(errors));
        }
        let public_statements = resource.as_ref().map(public_statements).unwrap_or_default();
        let one = |policy: Option<Policy>| policy.map(|p| Box::new(Layer::new(vec![p]))); // most sets lack most
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let mut compiled = Compiled {
            key_slots: HashMap::default(),
            key_spellings: HashMap::default(),
            slot_keys: Vec::new(),
            principal_arn_slot: NO_SLOT,
            identity: Layer::new(identity),
            resource: one(resource),
            boundary: one(boundary),
            session: one(session),
            scps,
            rcps,
            vpc_endpoint: one(vpc_endpoint),
            block_public_access,
            public_statements,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            layer_count: 0,
            memo_count: 0,
            statement_count: 0,
            template_count: 0,
        };
        compiled.number_layers();
        compiled.number_keys();
        Ok(Self { inner: Arc::new(compiled) })
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
        Self::new(POLICY_KEYS.map(|key| policies.get(key)))
    }

    /// Whether some statement reads the context key `key_lower` (lowercased): the value of any other key
    /// cannot change a decision or an explanation, so batch readers may skip it.
    #[must_use]
    pub fn uses_context_key(&self, key_lower: &str) -> bool {
        self.inner.key_slots.contains_key(key_lower)
    }

    /// Counts for display: identity policies, resource?, boundary?, session?, SCP levels, RCP levels.
    #[must_use]
    pub fn summary(&self) -> String {
        let c = &self.inner;
        let levels = |l: &Option<Vec<Layer>>| l.as_ref().map_or("None".to_owned(), |l| l.len().to_string());
        let py_bool = |b: bool| if b { "True" } else { "False" };
        let mut text = format!(
            "PolicySet(identity={}, resource={}, permission_boundary={}, session={}, scp_levels={}, rcp_levels={}",
            c.identity.policies.len(),
            py_bool(c.resource.is_some()),
            py_bool(c.boundary.is_some()),
            py_bool(c.session.is_some()),
            levels(&c.scps),
            levels(&c.rcps)
        );
        // the R20b/R20c parts only when given, so that older reprs stay as they were
        if c.vpc_endpoint.is_some() {
            text.push_str(", vpc_endpoint=True");
        }
        if c.block_public_access.given {
            let on = py_bool(c.block_public_access.restrict_public_buckets());
            text.push_str(&format!(", restrict_public_buckets={on}"));
        }
        text.push(')');
        text
    }

    /// Scan one layer's statements that may match the request's action (in policy order). With `explain`,
    /// every applicable statement and missing key is recorded; without it, Allow statements that cannot
    /// change the decision are skipped.
    fn scan<'s>(
        &'s self,
        layer: &'s Layer,
        facts: &mut Facts<'_>,
        need: Need,
        explain: Option<&mut Explain<'s>>,
        (policy_type, level): (&'static str, Option<usize>),
        plan: Option<Plan<'_>>,
    ) -> (Outcome, bool) {
        let req = facts.request;
        let has_boundary = self.inner.boundary.is_some();
        let mut outcome = Outcome::default();
        let action_ok = |probe: Option<&Probe>| probe.is_none_or(|probe| probe.matches(&req.action));
        // whether a statement evaluated read the resource (else the outcome is the same for every resource)
        let mut read_resource = false;
        let Some(explain) = explain else {
            // a decision alone: any visiting order, a statement possibly twice (the outcome is the same); the
            // prefix statements come from a lookup of the action's own prefixes (action_index)
            let mut visit = |position: u32, probe: Option<&Probe>| -> ControlFlow<()> {
                let Some((_, st, at)) = layer.visit(position) else { return ControlFlow::Continue(()) };
                let wanted = match st.effect {
                    Effect::Deny => true,
                    Effect::Allow => match need {
                        Need::DenyOnly => false,
                        Need::AnyAllow => !outcome.allow,
                        Need::AllAllows => true,
                    },
                };
                if !wanted || !action_ok(probe) {
                    return ControlFlow::Continue(());
                }
                let applies = if at.plain {
                    Some(Namings::one(Naming::Implicit)) // what statement_applies says for it
                } else {
                    read_resource |= !at.resource_free;
                    let number = layer.first.saturating_add(position);
                    statement_applies(st, facts, layer.resource_based, has_boundary, number)
                };
                if let Some(namings) = applies {
                    match st.effect {
                        Effect::Deny => {
                            outcome.deny = true;
                            return ControlFlow::Break(()); // an explicit Deny decides (R14)
                        }
                        Effect::Allow => {
                            outcome.allow = true;
                            outcome.namings = outcome.namings.union(namings);
                        }
                    }
                }
                ControlFlow::Continue(())
            };
            // the action's plan (these statements' action clauses match, Denies first), or the action index
            let _ = match plan.and_then(|plan| plan.layer(layer.slot)) {
                Some(positions) => positions.iter().try_for_each(|&p| visit(p, None)),
                // the index: matched per branch (one chained iterator over both is measurably slower here)
                None => match layer.index.decision_candidates(&req.action) {
                    DecisionCandidates::Exact(positions) => {
                        positions.iter().try_for_each(|&p| visit(p, None))
                    }
                    DecisionCandidates::Split(service) => service
                        .prefix_hits(&req.action)
                        .map(|p| (p, None))
                        .chain(service.linear().iter().map(|probe| (probe.position, Some(probe))))
                        .try_for_each(|(p, probe)| visit(p, probe)),
                },
            };
            return (outcome, read_resource);
        };
        let candidates = layer.index.candidates(&req.action);
        // (position, whether the action is known to match) in statement order, without allocating
        let (exact, probes): (&[u32], &[Probe]) = match candidates {
            Candidates::Exact(positions) => (positions, &[]),
            Candidates::Check(probes) => (&[], probes),
        };
        let visit =
            exact.iter().map(|&p| (p, None)).chain(probes.iter().map(|probe| (probe.position, Some(probe))));
        for (position, probe) in visit {
            let Some((p_index, st)) = layer.statement(position) else { continue };
            if !action_ok(probe) {
                continue;
            }
            let (seen, missing) = (&mut explain.seen, &mut explain.missing);
            let Some((applies, namings)) = match_visiting_missing_keys(
                st,
                facts,
                layer.resource_based,
                has_boundary,
                &mut |written, lowered| {
                    if seen.insert(lowered) {
                        missing.push(written);
                    }
                },
            ) else {
                continue;
            };
            if !applies {
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
                Effect::Deny => {
                    outcome.deny = true;
                    explain.denies.push(matched);
                }
                Effect::Allow => {
                    outcome.allow = true;
                    outcome.namings = outcome.namings.union(namings);
                    explain.allows.push(matched);
                }
            }
        }
        (outcome, true) // explaining: never kept
    }

    /// Decide one request given as a JSON object (R1-R22).
    ///
    /// # Errors
    /// [`Error::Request`] for a malformed request.
    pub fn evaluate_json(&self, request: &Json) -> Result<Evaluation, Error> {
        Ok(self.evaluate(&Request::from_json(request)?))
    }

    /// Decide one request that has been read (R1-R22), with the explanation (R22). Never fails.
    #[must_use]
    pub fn evaluate(&self, req: &Request) -> Evaluation {
        self.evaluate_with(req, ContextView::Map(&req.context))
    }

    /// [`PolicySet::evaluate`] reading the context from `context` (the request's own is not read; a
    /// [`ContextView::Slots`] must be laid out by [`PolicySet::layout`]). Never fails.
    #[must_use]
    pub fn evaluate_with(&self, req: &Request, context: ContextView<'_>) -> Evaluation {
        let mut explain = Explain::default();
        let (decision, decided_by) = self.run(req, context, Some(&mut explain), None, None, None);
        let matched = if decision == Decision::ExplicitDeny { explain.denies } else { explain.allows };
        let missing_context_keys = explain.missing.iter().map(|key| (*key).to_owned()).collect();
        let public_statements = if decided_by != "get-caller-identity" && self.public_grants_restricted(req) {
            self.inner.public_statements.clone()
        } else {
            Vec::new()
        };
        Evaluation { decision, decided_by, matched, missing_context_keys, public_statements }
    }

    /// Every statement of every layer evaluated in full against the request, in evaluation order (scp levels,
    /// rcp levels, vpc_endpoint, resource, identity, permission_boundary, session), with whether each layer
    /// takes part in the decision for this request. Never fails.
    #[must_use]
    pub fn trace(&self, req: &Request) -> Trace {
        let c = &*self.inner;
        let has_boundary = c.boundary.is_some();
        let iam = req.caller.is_iam();
        let layer = |layer: &Layer, policy_type: &'static str, level: Option<usize>, applies: bool| {
            let statements = layer
                .flat
                .iter()
                .filter_map(|at| {
                    let (p, statement) = layer.at(at)?;
                    Some(trace_statement(statement, p, req, layer.resource_based, has_boundary))
                })
                .collect();
            LayerTrace { policy_type, level, applies, statements }
        };
        let mut layers = Vec::new();
        let scps_apply = iam && !is_service_linked(req, ContextView::Map(&req.context), c.principal_arn_slot);
        for (i, level) in c.scps.iter().flatten().enumerate() {
            layers.push(layer(level, "scp", Some(i), scps_apply));
        }
        let rcps_apply = rcp_applies(&req.service);
        for (i, level) in c.rcps.iter().flatten().enumerate() {
            layers.push(layer(level, "rcp", Some(i), rcps_apply));
        }
        for (one, name) in [(&c.vpc_endpoint, "vpc_endpoint"), (&c.resource, "resource")] {
            if let Some(one) = one {
                layers.push(layer(one, name, None, true));
            }
        }
        layers.push(layer(&c.identity, "identity", None, iam));
        for (one, name) in [(&c.boundary, "permission_boundary"), (&c.session, "session")] {
            if let Some(one) = one {
                layers.push(layer(one, name, None, iam));
            }
        }
        Trace { layers }
    }

    /// The decision alone (the same as [`PolicySet::evaluate`]'s), without the explanation: stops at the
    /// first applicable Deny and skips Allow statements that cannot change the answer. Never fails.
    #[must_use]
    pub fn decide(&self, req: &Request) -> Decision {
        self.run(req, ContextView::Map(&req.context), None, None, None, None).0
    }

    /// [`PolicySet::decide`] with the action's candidate statements taken from (or first put into) `plans`:
    /// the same decision, cheaper for the rows of a batch that share actions.
    #[must_use]
    pub fn decide_planned(&self, req: &Request, plans: &mut Plans) -> Decision {
        self.decide_with(req, ContextView::Map(&req.context), Some(plans))
    }

    /// [`PolicySet::decide`] reading the context from `context` (the request's own is not read; a
    /// [`ContextView::Slots`] must be laid out by [`PolicySet::layout`]), with `plans` when given.
    #[must_use]
    pub fn decide_with(
        &self,
        req: &Request,
        context: ContextView<'_>,
        plans: Option<&mut Plans>,
    ) -> Decision {
        match plans {
            Some(plans) => {
                let (plan, memo, constant, statics) = plans.plan(&self.inner, &req.action, None);
                // one caller and one context for the run: the layers' outcomes kept per action (its plan)
                let statics = match plan {
                    Some((_, start)) if constant.caller_fixed() => {
                        statics.for_plan(start, self.inner.layer_count)
                    }
                    _ => None,
                };
                let kept = Some((memo, constant));
                self.run_keeping(req, context, plan.map(|(plan, _)| plan), kept, statics)
            }
            None => self.run(req, context, None, None, None, None).0,
        }
    }

    /// [`PolicySet::decide_with`] with `plans`, for a caller that numbers its actions: `number` is the
    /// number of `req`'s action in the numbering the plans were last given ([`Plans::number_actions`]; a
    /// grid call's action index), so that its plan is found by it instead of by its text. `planned`: whether
    /// to build and use the action's plan at all (a plan costs about what two scans of the action indexes
    /// cost: it pays when the action is decided for many requests); without one, the layers are scanned
    /// through their action indexes, as [`PolicySet::decide`] does.
    #[must_use]
    pub fn decide_numbered(
        &self,
        req: &Request,
        context: ContextView<'_>,
        plans: &mut Plans,
        number: usize,
        planned: bool,
    ) -> Decision {
        // the layers' outcomes kept for the action (a fixed caller and context only)
        let (plan, memo, constant, statics) = if planned {
            let (plan, memo, constant, statics) = plans.plan(&self.inner, &req.action, Some(number));
            (plan.map(|(plan, _)| plan), memo, constant, statics)
        } else {
            plans.use_set(&self.inner);
            let Plans { memo, constant, statics, .. } = plans;
            (None, memo, constant, statics)
        };
        let statics = (constant.caller_fixed() && statics.use_action(number, self.inner.layer_count))
            .then(|| statics.for_action());
        self.run_keeping(req, context, plan, Some((memo, constant)), statics)
    }

    /// [`PolicySet::run`]'s decision, with the layers' outcomes and the decisions `statics` keeps for the
    /// action (a fixed caller and context): a decision kept for the request's [`PolicySet::resource_facts`]
    /// is taken as is; else the run's is kept when none of its layers read the resource.
    // inlined: as a call it cost a W3 grid cell 41 more instructions (879 against 920, callgrind)
    #[inline(always)]
    fn run_keeping(
        &self,
        req: &Request,
        context: ContextView<'_>,
        plan: Option<Plan<'_>>,
        kept: Option<(&mut ClauseMemo, &mut ConstantConditions)>,
        statics: Option<(&mut [Option<Outcome>], &mut Decisions)>,
    ) -> Decision {
        let Some((outcomes, decisions)) = statics else {
            return self.run(req, context, None, plan, kept, None).0;
        };
        let facts = self.resource_facts(req);
        if let Some(Some(known)) = decisions.get(facts) {
            return *known;
        }
        let mut resource_read = false;
        let decision = self.run(req, context, None, plan, kept, Some((outcomes, &mut resource_read))).0;
        if !resource_read && let Some(kept) = decisions.get_mut(facts) {
            *kept = Some(decision);
        }
        decision
    }

    /// What the evaluation flow reads of the request's resource besides the layers' statements, as a number
    /// below [`RESOURCE_FACTS`]: whether the resource's account is the principal's (R21, and R20c's
    /// exemption), whether the resource demands both sides (R18: a role's trust policy, a KMS key policy:
    /// [`is_strict`]), and whether RestrictPublicBuckets is in force for it (R20c). Two requests that differ
    /// in their resource alone, and whose layers read no resource, get the same decision when these agree
    /// ([`StaticOutcomes`]); a new read of the resource in [`PolicySet::run`] or [`grant`] belongs here.
    fn resource_facts(&self, req: &Request) -> usize {
        let same_account = req.principal_account.is_some() && req.principal_account == req.resource_account;
        usize::from(same_account)
            | usize::from(is_strict(req)) << 1
            | usize::from(self.public_grants_restricted(req)) << 2
    }

    /// The set's id, unique in the process (what [`Plans`] are of).
    pub(crate) fn id(&self) -> u64 {
        self.inner.id
    }

    /// The compiled request layout of the set ([`crate::facts`]): the lowercased key of each slot, in slot
    /// order, and the slot of each key.
    #[must_use]
    pub fn layout(&self) -> (&[String], &HashMap<String, Slot, FxBuildHasher>) {
        (&self.inner.slot_keys, &self.inner.key_slots)
    }

    /// The slot of a context key spelled exactly as a policy of the set writes it with capitals, without
    /// lowercasing it; `None` for any other spelling, which [`PolicySet::layout`]'s map finds lowercased.
    #[must_use]
    pub fn slot_of_spelling(&self, key: &str) -> Option<Slot> {
        self.inner.key_spellings.get(key).copied()
    }

    /// The evaluation flow (R14-R21); `explain` gathers what [`PolicySet::evaluate`] reports; `plan`: the
    /// action's candidate statements, `kept`: remembered clause answers and the answers under a constant
    /// context (decisions only).
    fn run<'s>(
        &'s self,
        req: &Request,
        context: ContextView<'_>,
        mut explain: Option<&mut Explain<'s>>,
        plan: Option<Plan<'_>>,
        kept: Option<(&mut ClauseMemo, &mut ConstantConditions)>,
        statics: Option<(&mut [Option<Outcome>], &mut bool)>,
    ) -> (Decision, &'static str) {
        let c = &*self.inner;
        // with kept outcomes: whether a layer scanned reads the resource (set, never cleared)
        let (mut statics, mut resource_read) =
            statics.map_or((None, None), |(s, read)| (Some(s), Some(read)));
        let caller = &req.caller;
        if req.action == "sts:getcalleridentity" {
            return (Decision::Allow, "get-caller-identity"); // R20
        }
        let explaining = explain.is_some();
        let mut first_deny: Option<&'static str> = None;
        let mut facts = Facts::with_context(req, context);
        if let Some((memo, constant)) = kept {
            facts.memo = Some(memo);
            facts.constant = constant.active().then_some(constant);
        }
        // R15: SCPs apply to the IAM principals of member accounts, except service-linked roles
        let scps_apply = c.scps.is_some()
            && caller.is_iam()
            && !match facts.constant.as_deref_mut() {
                Some(constant) => {
                    constant.service_linked(|| is_service_linked(req, context, c.principal_arn_slot))
                }
                None => is_service_linked(req, context, c.principal_arn_slot),
            };
        let mut scan = |layer: &'s Layer, need, name: &'static str, level| {
            let at = (name, level);
            let outcome = match statics.as_deref_mut().and_then(|s| s.get_mut(layer.slot)) {
                None => self.scan(layer, &mut facts, need, explain.as_deref_mut(), at, plan).0,
                Some(Some(known)) => *known,
                Some(kept) => {
                    let (outcome, read_resource) = self.scan(layer, &mut facts, need, None, at, plan);
                    if read_resource {
                        if let Some(read) = resource_read.as_deref_mut() {
                            *read = true;
                        }
                    } else {
                        *kept = Some(outcome);
                    }
                    outcome
                }
            };
            if outcome.deny && first_deny.is_none() {
                first_deny = Some(name);
            }
            outcome
        };

        let mut scp_level_without_allow = false;
        if scps_apply && let Some(scps) = &c.scps {
            for (i, level) in scps.iter().enumerate() {
                let outcome = scan(level, Need::AnyAllow, "scp", Some(i));
                if outcome.deny && !explaining {
                    return (Decision::ExplicitDeny, "scp");
                }
                scp_level_without_allow |= !outcome.allow;
            }
        }
        // R16: RCPs only deny, and only for the services that support them
        if let Some(rcps) = &c.rcps
            && rcp_applies(&req.service)
        {
            for (i, level) in rcps.iter().enumerate() {
                if scan(level, Need::DenyOnly, "rcp", Some(i)).deny && !explaining {
                    return (Decision::ExplicitDeny, "rcp");
                }
            }
        }
        // R20b: the VPC endpoint policy applies to every caller; its Deny is explicit, and it must allow
        let endpoint = c.vpc_endpoint.as_deref().map(|l| scan(l, Need::AnyAllow, "vpc_endpoint", None));
        if endpoint.is_some_and(|o| o.deny) && !explaining {
            return (Decision::ExplicitDeny, "vpc_endpoint");
        }
        let resource = c.resource.as_deref().map(|l| scan(l, Need::AllAllows, "resource", None));
        if resource.is_some_and(|o| o.deny) && !explaining {
            return (Decision::ExplicitDeny, "resource");
        }
        let (mut identity, mut boundary, mut session) = (None, None, None);
        if caller.is_iam() {
            for (slot, layer, name) in [
                (&mut identity, Some(&c.identity), "identity"),
                (&mut boundary, c.boundary.as_deref(), "permission_boundary"),
                (&mut session, c.session.as_deref(), "session"),
            ] {
                if let Some(layer) = layer {
                    let outcome = scan(layer, Need::AnyAllow, name, None);
                    if outcome.deny && !explaining {
                        return (Decision::ExplicitDeny, name);
                    }
                    *slot = Some(outcome);
                }
            }
        }
        // R14: an explicit Deny in any applicable policy wins over every Allow
        if let Some(layer) = first_deny {
            return (Decision::ExplicitDeny, layer);
        }
        // R15: at every SCP level some SCP must allow; SCPs never grant
        if scps_apply && scp_level_without_allow {
            return (Decision::ImplicitDeny, "scp");
        }
        // R20b: without an applicable Allow in the endpoint policy the request is denied; it never grants
        if endpoint.is_some_and(|o| !o.allow) {
            return (Decision::ImplicitDeny, "vpc_endpoint");
        }
        let sides = Sides {
            resource_given: c.resource.is_some(),
            resource: resource.unwrap_or_default(),
            identity,
            boundary,
            session,
        };
        // R20c: RestrictPublicBuckets on a public bucket policy ignores its grants to outsiders
        if sides.resource.allow && self.public_grants_restricted(req) && !public_grant_exempt(req) {
            let blocked = Sides {
                resource: Outcome { allow: false, namings: Namings::default(), deny: false },
                ..sides
            };
            let decision = grant(req, &blocked);
            if decision.0 == Decision::ImplicitDeny && grant(req, &sides).0 == Decision::Allow {
                return (Decision::ImplicitDeny, "s3_block_public_access");
            }
            return decision;
        }
        grant(req, &sides)
    }

    /// R20c: whether RestrictPublicBuckets is in force for the request: the setting is on, the bucket policy
    /// (the set's resource-based policy) is public, and the request is about an S3 resource.
    fn public_grants_restricted(&self, req: &Request) -> bool {
        let c = &*self.inner;
        c.block_public_access.restrict_public_buckets()
            && !c.public_statements.is_empty()
            && req.resource_fields().is_some_and(|[_, _, service, _, _, _]| lowercase(service) == "s3")
    }
}

/// R20c: callers whose grants from a public bucket policy stand under RestrictPublicBuckets: AWS service
/// principals and principals of the bucket owner's account.
fn public_grant_exempt(req: &Request) -> bool {
    match req.caller.kind {
        CallerKind::Service => true,
        CallerKind::Anonymous | CallerKind::Canonical => false,
        _ => req.principal_account.is_some() && req.principal_account == req.resource_account,
    }
}

/// What the grant needs from the layers once no Deny applied and every SCP level and the endpoint policy
/// allowed.
#[derive(Debug, Clone, Copy)]
struct Sides {
    resource_given: bool,
    resource: Outcome,
    identity: Option<Outcome>,
    boundary: Option<Outcome>,
    session: Option<Outcome>,
}

/// The grant (R17-R21, R20a): whether the identity side, the resource side or both allow.
fn grant(req: &Request, sides: &Sides) -> (Decision, &'static str) {
    let caller = &req.caller;
    let deny = |by| (Decision::ImplicitDeny, by);
    let allow = |by| (Decision::Allow, by);
    let resource_allow = sides.resource.allow;
    let resource_namings = sides.resource.namings;
    let strict = is_strict(req);
    if !caller.is_iam() {
        if resource_allow {
            return allow("resource");
        }
        return deny(if sides.resource_given { "resource" } else { "default" });
    }
    let identity_allow = sides.identity.is_some_and(|o| o.allow);
    let boundary_ok = sides.boundary.is_none_or(|o| o.allow);
    let session_ok = sides.session.is_none_or(|o| o.allow);
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
        if identity_side && resource_allow {
            return allow("identity+resource");
        }
        if !identity_side {
            return deny(if identity_allow || resource_allow { identity_failure } else { "default" });
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
    let direct = resource_namings.intersects(direct_namings());
    let via_role = resource_namings.contains(Naming::Role) && boundary_ok && session_ok;
    if direct || via_role {
        return allow("resource");
    }
    if identity_side && resource_namings.contains(Naming::Account) {
        return allow("identity+resource");
    }
    if !identity_allow && !resource_allow {
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
        assert_eq!(
            result.and_then(|r| r.matched.first().and_then(|m| m.sid.as_deref().map(str::to_owned))),
            Some("D".to_owned())
        );
    }

    #[test]
    fn test_r20b_vpc_endpoint_denies_and_never_grants() {
        let endpoint = r#""vpc_endpoint": {"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:Get*", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "arn:aws:s3:::bucket/secret"}]}"#;
        let identity =
            r#""identity": [{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}]"#;
        let decide = |policies: &str, action: &str, key: &str| {
            let request = ALICE.replace("s3:GetObject", action).replace("bucket/key", key);
            evaluate(policies, &request).map(|r| (r.decision, r.decided_by))
        };
        let both = format!("{{{identity}, {endpoint}}}");
        assert_eq!(decide(&both, "s3:GetObject", "bucket/key"), Some((Decision::Allow, "identity")));
        assert_eq!(
            decide(&both, "s3:PutObject", "bucket/key"),
            Some((Decision::ImplicitDeny, "vpc_endpoint"))
        );
        assert_eq!(
            decide(&both, "s3:GetObject", "bucket/secret"),
            Some((Decision::ExplicitDeny, "vpc_endpoint"))
        );
        let alone = format!("{{{endpoint}}}");
        assert_eq!(decide(&alone, "s3:GetObject", "bucket/key"), Some((Decision::ImplicitDeny, "default")));
    }

    #[test]
    fn test_r20c_restrict_public_buckets() {
        let policies = r#"{"identity": [{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}],
            "resource": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                        "Resource": "arn:aws:s3:::bucket/*"}]},
            "s3_block_public_access": {"RestrictPublicBuckets": true}}"#;
        let outsider = ALICE
            .replace("111111111111:user", "222222222222:user")
            .replace(r#""context": {}"#, r#""context": {}, "resource_account": "111111111111""#);
        let result = evaluate(policies, &outsider);
        assert_eq!(
            result.as_ref().map(|r| (r.decision, r.decided_by, r.public_statements.clone())),
            Some((Decision::ImplicitDeny, "s3_block_public_access", vec![0]))
        );
        let insider = evaluate(policies, ALICE);
        assert_eq!(insider.map(|r| (r.decision, r.decided_by)), Some((Decision::Allow, "identity")));
    }

    #[test]
    fn test_trace_marks_what_applies() {
        let policies = r#"{"identity": [{"Statement": [
            {"Effect": "Allow", "Action": ["ec2:*", "s3:Get*"], "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}]}"#;
        let set = parse_str(policies).0.and_then(|p| PolicySet::from_json(&p).ok());
        let request = parse_str(ALICE).0.and_then(|r| Request::from_json(&r).ok());
        let (Some(set), Some(request)) = (set, request) else { unreachable!("valid inputs") };
        let trace = set.trace(&request);
        let statements: Vec<_> = trace.layers.iter().flat_map(|l| &l.statements).collect();
        assert_eq!(statements.len(), 2);
        assert_eq!(
            statements.first().map(|s| (s.applies, s.action.pattern.clone())),
            Some((true, Some("s3:get*".into())))
        );
        let clause = statements.get(1).and_then(|s| s.conditions.first());
        assert_eq!(clause.map(|c| (c.request_values.clone(), c.result)), Some((None, false)));
    }

    /// Every layer kind, Action and NotAction, prefixes, globs, `*`, exact actions, Deny and Allow.
    const PLANNED: &str = r#"{
        "identity": [{"Statement": [
            {"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*", "*:List*", "kms:Decrypt"], "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secret/*"},
            {"Effect": "Deny", "NotAction": ["s3:*", "ec2:*", "kms:*", "iam:*"], "Resource": "*"}]},
          {"Statement": {"Effect": "Allow", "Action": ["iam:Get*", "s?:PutObject"], "Resource": "*"}}],
        "resource": {"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "s3:*",
             "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:Delete*", "Resource": "*"}]},
        "permission_boundary": {"Statement": [
            {"Effect": "Allow", "Action": ["s3:*", "ec2:*", "kms:*", "iam:List*"], "Resource": "*"},
            {"Effect": "Deny", "Action": "ec2:Terminate*", "Resource": "*"}]},
        "scps": [[{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                 {"Effect": "Deny", "Action": "kms:Schedule*", "Resource": "*"}]}],
                 [{"Statement": {"Effect": "Allow", "NotAction": "iam:Delete*", "Resource": "*"}}]],
        "rcps": [[{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": "*"},
                                 {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                                  "Resource": "*"}]}]]
    }"#;

    #[test]
    fn test_r3_planned_decisions_equal_the_index_path() {
        let Some(set) = parse_str(PLANNED).0.and_then(|p| PolicySet::from_json(&p).ok()) else {
            unreachable!("valid policies")
        };
        let actions = [
            "s3:GetObject",
            "s3:GetBucketPolicy",
            "s3:PutObject",
            "s3:DeleteBucket",
            "s3:ListBucket",
            "ec2:DescribeImages",
            "ec2:TerminateInstances",
            "ec2:RunInstances",
            "kms:Decrypt",
            "kms:ScheduleKeyDeletion",
            "iam:GetRole",
            "iam:ListRoles",
            "iam:DeleteRole",
            "sqs:ListQueues",
            "sqs:SendMessage",
            "sts:GetCallerIdentity",
        ];
        let principals = ["arn:aws:iam::111111111111:user/alice", "arn:aws:iam::222222222222:user/bob"];
        let resources = ["*", "arn:aws:s3:::secret/k", "arn:aws:s3:::open/k"];
        let mut plans = Plans::default();
        let mut seen = HashSet::new();
        // twice: the second round takes every plan from the cache
        for _ in 0..2 {
            for principal in principals {
                for action in actions {
                    for resource in resources {
                        let text = format!(
                            r#"{{"principal": "{principal}", "action": "{action}", "resource": "{resource}",
                                "resource_account": "111111111111"}}"#
                        );
                        let Some(Ok(req)) = parse_str(&text).0.map(|r| Request::from_json(&r)) else {
                            unreachable!("valid request")
                        };
                        let planned = set.decide_planned(&req, &mut plans);
                        assert_eq!(planned, set.decide(&req), "{principal} {action} {resource}");
                        assert_eq!(planned, set.evaluate(&req).decision, "{principal} {action} {resource}");
                        seen.insert(planned);
                    }
                }
            }
        }
        assert_eq!(seen.len(), 3, "every outcome occurs");
        assert_eq!(plans.spans.len(), actions.len(), "one plan per action");
        // another set replaces the plans: they are never used for a set they were not built for
        let Some(other) = parse_str(
            r#"{"identity": [{"Statement": {"Effect": "Deny", "Action": "*",
            "Resource": "*"}}]}"#,
        )
        .0
        .and_then(|p| PolicySet::from_json(&p).ok()) else {
            unreachable!("valid policies")
        };
        let Some(Ok(req)) = parse_str(ALICE).0.map(|r| Request::from_json(&r)) else { unreachable!() };
        assert_eq!(other.decide_planned(&req, &mut plans), Decision::ExplicitDeny);
        assert_eq!(plans.spans.len(), 1);
    }

    #[test]
    fn test_plans_are_bounded() {
        let Some(set) = parse_str(PLANNED).0.and_then(|p| PolicySet::from_json(&p).ok()) else {
            unreachable!("valid policies")
        };
        let mut plans = Plans::default();
        for i in 0..MAX_PLANS + 10 {
            let text =
                format!(r#"{{"principal": "arn:aws:iam::111111111111:user/a", "action": "s3:Get{i}"}}"#);
            let Some(Ok(req)) = parse_str(&text).0.map(|r| Request::from_json(&r)) else { unreachable!() };
            // past the bound the decision still comes (through the index), and the cache stops growing
            assert_eq!(set.decide_planned(&req, &mut plans), set.decide(&req));
        }
        assert_eq!(plans.spans.len(), MAX_PLANS);
    }

    #[test]
    fn test_r16_rcp_table_is_sorted_and_covers_the_launch_services() {
        assert!(crate::RCP_SERVICES.windows(2).all(|w| w.first() < w.get(1)));
        for service in ["s3", "sts", "kms", "sqs", "secretsmanager", "dynamodb"] {
            assert!(rcp_applies(service), "{service}");
        }
        assert!(!rcp_applies("iam") && !rcp_applies("ec2"));
    }

    #[test]
    fn test_r22_default_deny_and_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<PolicySet>();
        let result = evaluate("{}", ALICE);
        assert_eq!(result.map(|r| (r.decision, r.decided_by)), Some((Decision::ImplicitDeny, "default")));
    }
}
