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
//!
//! A decision alone (no explanation) does not depend on the order in which statements are visited, nor on a
//! statement visited twice: for it ([`ActionIndex::decision_candidates`]) the Action statements whose patterns
//! are all prefixes (`ec2:describe*`, `*`) are found by looking up the action's own prefixes of the lengths
//! those patterns have, so that a request does not check the many prefix statements its action cannot match
//! (a policy of 5,000 `ec2:Act<i>*` statements costs a few hash lookups per request, not 5,000 comparisons);
//! only NotAction statements and statements with another glob are checked one by one.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::pattern::{find_bytes, wildcard_match};
use crate::policy::Statement;

/// A lowercased Action pattern, compiled: most are a prefix followed by one `*` (`ec2:describe*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionPattern {
    /// `prefix*`: the action starts with the prefix.
    Prefix(Box<str>),
    /// `*text*` (`*:describe*`): the action contains the text.
    Contains(Box<str>),
    /// Any other glob (R3).
    Glob(Box<str>),
}

impl ActionPattern {
    fn new(pattern: &str) -> Self {
        match pattern.strip_suffix('*') {
            Some(prefix) if !has_wildcard(prefix) => Self::Prefix(Box::from(prefix)),
            Some(body) => match body.strip_prefix('*') {
                Some(text) if !text.is_empty() && !has_wildcard(text) => Self::Contains(Box::from(text)),
                _ => Self::Glob(Box::from(pattern)),
            },
            None => Self::Glob(Box::from(pattern)),
        }
    }

    /// Whether the lowercased `action` matches (the same answer as `wildcard_match(pattern, action)`).
    #[must_use]
    pub fn matches(&self, action: &str) -> bool {
        match self {
            Self::Prefix(prefix) => action.starts_with(&**prefix),
            Self::Contains(text) => find_bytes(action.as_bytes(), text.as_bytes()).is_some(),
            Self::Glob(pattern) => wildcard_match(pattern, action, false),
        }
    }
}

/// A statement to check against an action: those of its Action (or NotAction) patterns that can match
/// an action of the service looked up (the others name other services).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Position of the statement in the layer.
    pub position: u32,
    /// A NotAction statement: it matches when none of the patterns does.
    pub negated: bool,
    /// The patterns to try.
    pub patterns: Box<[ActionPattern]>,
}

impl Probe {
    /// Whether the statement's action clause matches `action` (R3).
    #[must_use]
    pub fn matches(&self, action: &str) -> bool {
        self.patterns.iter().any(|pattern| pattern.matches(action)) != self.negated
    }
}

/// The statements of a layer that may match an action.
#[derive(Debug, Clone, Copy)]
pub enum Candidates<'a> {
    /// These statements' action clauses match (known when the index was built).
    Exact(&'a [u32]),
    /// These statements must still be checked against the action.
    Check(&'a [Probe]),
}

/// The statements of a layer that may match an action, for a decision alone: found in any order, a statement
/// possibly more than once (see the module documentation).
#[derive(Debug, Clone, Copy)]
pub enum DecisionCandidates<'a> {
    /// These statements' action clauses match (known when the index was built).
    Exact(&'a [u32]),
    /// The statements of [`ServiceProbes::prefix_hits`] match; those of [`ServiceProbes::linear`] must still be
    /// checked against the action.
    Split(&'a ServiceProbes),
}

/// The statements that may match the actions of one service (or of no service named by a pattern).
#[derive(Debug, Default)]
pub struct ServiceProbes {
    /// Every candidate statement, in policy order (explanations visit these).
    probes: Box<[Probe]>,
    /// The candidates a decision must check one by one: NotAction statements, statements with a glob that is
    /// not a prefix.
    linear: Box<[Probe]>,
    /// Action statements whose patterns are all prefixes: prefix -> their positions.
    by_prefix: HashMap<Box<str>, Box<[u32]>, FxBuildHasher>,
    /// The byte lengths of the keys of `by_prefix`, ascending.
    prefix_lengths: Box<[usize]>,
}

impl ServiceProbes {
    fn new(probes: Box<[Probe]>) -> Self {
        let mut linear = Vec::new();
        let mut by_prefix: HashMap<&str, Vec<u32>> = HashMap::new();
        for probe in &probes {
            let prefixes: Option<Vec<&str>> = (!probe.negated)
                .then(|| {
                    probe
                        .patterns
                        .iter()
                        .map(|pattern| match pattern {
                            ActionPattern::Prefix(prefix) => Some(&**prefix),
                            ActionPattern::Contains(_) | ActionPattern::Glob(_) => None,
                        })
                        .collect()
                })
                .flatten();
            match prefixes {
                Some(prefixes) if !prefixes.is_empty() => {
                    for prefix in prefixes {
                        by_prefix.entry(prefix).or_default().push(probe.position);
                    }
                }
                _ => linear.push(probe.clone()),
            }
        }
        let mut lengths: Vec<usize> = by_prefix.keys().map(|prefix| prefix.len()).collect();
        lengths.sort_unstable();
        lengths.dedup();
        let by_prefix = by_prefix
            .into_iter()
            .map(|(prefix, mut positions)| {
                positions.dedup();
                (Box::from(prefix), positions.into_boxed_slice())
            })
            .collect();
        Self {
            probes,
            linear: linear.into_boxed_slice(),
            by_prefix,
            prefix_lengths: lengths.into_boxed_slice(),
        }
    }

    /// The candidates a decision must check against the action one by one.
    #[must_use]
    pub fn linear(&self) -> &[Probe] {
        &self.linear
    }

    /// The positions of the prefix-only Action statements that match the lowercased `action`: one hash lookup
    /// per distinct prefix length (a position may come more than once, under two of its prefixes).
    pub fn prefix_hits<'a>(&'a self, action: &'a str) -> impl Iterator<Item = u32> + 'a {
        self.prefix_lengths
            .iter()
            .take_while(move |&&length| length <= action.len())
            .filter_map(move |&length| action.get(..length))
            .filter_map(move |prefix| self.by_prefix.get(prefix))
            .flat_map(|positions| positions.iter().copied())
    }
}

/// The literal actions of a layer and the statements each matches, in two flat buffers and a table of
/// offsets into them (16 bytes per action, no allocation per action: a managed policy names ~34 literal
/// actions, and a map of boxed keys and boxed lists took ~50 bytes more per action).
#[derive(Debug, Default)]
struct Literals {
    /// The lowercased actions, one after another.
    text: Box<str>,
    /// The statement positions of each action, one list after another.
    positions: Box<[u32]>,
    /// Per action: its text's start and end in `text`, its list's start and end in `positions`; found by
    /// the `FxHash` of its text.
    table: HashTable<[u32; 4]>,
}

impl Literals {
    /// The buffers of `entries`; `None` when an offset does not fit in `u32` (no real policy set comes near:
    /// [`ActionIndex::build`] then keeps a map).
    fn pack(entries: &[(&str, Box<[u32]>)]) -> Option<Self> {
        let mut text = String::with_capacity(entries.iter().map(|(action, _)| action.len()).sum());
        let mut positions = Vec::with_capacity(entries.iter().map(|(_, list)| list.len()).sum());
        let mut offsets = Vec::with_capacity(entries.len());
        for (action, list) in entries {
            let text_start = u32::try_from(text.len()).ok()?;
            text.push_str(action);
            let list_start = u32::try_from(positions.len()).ok()?;
            positions.extend_from_slice(list);
            offsets.push([
                text_start,
                u32::try_from(text.len()).ok()?,
                list_start,
                u32::try_from(positions.len()).ok()?,
            ]);
        }
        let mut out = Self {
            text: text.into_boxed_str(),
            positions: positions.into_boxed_slice(),
            table: HashTable::new(),
        };
        let mut table = HashTable::with_capacity(offsets.len());
        let hash = |entry: &[u32; 4]| FxBuildHasher.hash_one(out.text_of(*entry).unwrap_or_default());
        for entry in offsets {
            table.insert_unique(hash(&entry), entry, hash);
        }
        out.table = table;
        Some(out)
    }

    fn text_of(&self, [start, end, _, _]: [u32; 4]) -> Option<&str> {
        self.text.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
    }

    fn get(&self, action: &str) -> Option<&[u32]> {
        let hash = FxBuildHasher.hash_one(action);
        let &entry = self.table.find(hash, |&entry| self.text_of(entry) == Some(action))?;
        let [_, _, start, end] = entry;
        self.positions.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
    }
}

/// The literal actions of a layer: packed, or (offsets past `u32`) a map.
#[derive(Debug)]
enum Exact {
    Packed(Literals),
    Map(HashMap<Box<str>, Box<[u32]>, FxBuildHasher>),
}

impl Default for Exact {
    fn default() -> Self {
        Self::Packed(Literals::default())
    }
}

impl Exact {
    fn new(entries: Vec<(&str, Box<[u32]>)>) -> Self {
        match Literals::pack(&entries) {
            Some(packed) => Self::Packed(packed),
            None => Self::map(entries),
        }
    }

    fn map(entries: Vec<(&str, Box<[u32]>)>) -> Self {
        Self::Map(entries.into_iter().map(|(action, list)| (Box::from(action), list)).collect())
    }

    #[inline]
    fn get(&self, action: &str) -> Option<&[u32]> {
        match self {
            Self::Packed(literals) => literals.get(action),
            Self::Map(map) => map.get(action).map(|list| &**list),
        }
    }
}

/// The action index of one layer.
#[derive(Debug, Default)]
pub struct ActionIndex {
    exact: Exact,
    by_service: HashMap<Box<str>, ServiceProbes, FxBuildHasher>,
    residue: ServiceProbes,
}

fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// The service prefix of a lowercased action (`s3` of `s3:getobject`), or the whole text without `:`.
fn service_of(action: &str) -> &str {
    crate::pattern::split_once_byte(action, b':').map_or(action, |(service, _)| service)
}

type Patterns = BTreeMap<u32, Vec<u32>>;

/// Probes in statement order, one per statement, with the patterns of all maps merged.
fn probes(statements: &[&Statement], parts: &[Option<&Patterns>]) -> Box<[Probe]> {
    let mut merged: Patterns = BTreeMap::new();
    for part in parts.iter().flatten() {
        for (&position, indexes) in *part {
            merged.entry(position).or_default().extend_from_slice(indexes);
        }
    }
    merged
        .into_iter()
        .filter_map(|(position, mut indexes)| {
            let statement = statements.get(usize::try_from(position).ok()?)?;
            indexes.sort_unstable();
            indexes.dedup();
            let patterns = indexes
                .iter()
                .filter_map(|&i| statement.actions.get(usize::try_from(i).ok()?))
                .map(ActionPattern::new)
                .collect();
            Some(Probe { position, negated: statement.not_action, patterns })
        })
        .collect()
}

/// The literal service a pattern is limited to (`s3` of `s3:get*`); `None` when its service part has a
/// wildcard (or it has no `:`).
fn literal_service(pattern: &str) -> Option<&str> {
    let (service, _) = pattern.split_once(':')?;
    (!has_wildcard(service)).then_some(service)
}

impl ActionIndex {
    /// Index `statements` (a layer's statements in order; a position is an index into this slice).
    #[must_use]
    pub fn build(statements: &[&Statement]) -> Self {
        let mut literals: HashMap<&str, Vec<u32>> = HashMap::new();
        // per service: the patterns limited to it (Action and NotAction alike); then the rest
        let mut by_service_patterns: HashMap<&str, Patterns> = HashMap::new();
        let mut residue: Patterns = BTreeMap::new();
        for (position, statement) in statements.iter().enumerate() {
            let Ok(position) = u32::try_from(position) else {
                break; // unreachable: a policy set has far fewer statements (MAX_STATEMENTS per policy)
            };
            if statement.not_action {
                // a NotAction statement is a candidate for every action
                residue.entry(position).or_default();
            }
            for (i, pattern) in statement.actions.iter().enumerate() {
                let Ok(i) = u32::try_from(i) else { break };
                if !statement.not_action && !has_wildcard(pattern) {
                    literals.entry(pattern).or_default().push(position);
                    continue;
                }
                let bucket = match literal_service(pattern) {
                    Some(service) => by_service_patterns.entry(service).or_default(),
                    None => &mut residue,
                };
                bucket.entry(position).or_default().push(i);
            }
        }
        let by_service: HashMap<Box<str>, ServiceProbes, FxBuildHasher> = by_service_patterns
            .iter()
            .map(|(service, patterns)| {
                (
                    Box::from(*service),
                    ServiceProbes::new(probes(statements, &[Some(patterns), Some(&residue)])),
                )
            })
            .collect();
        let residue = ServiceProbes::new(probes(statements, &[Some(&residue)]));
        let mut exact = Vec::with_capacity(literals.len());
        for (action, mut positions) in literals {
            let to_check = &by_service.get(service_of(action)).unwrap_or(&residue).probes;
            // a probe holds every pattern of its statement that can match an action of this service
            positions
                .extend(to_check.iter().filter(|probe| probe.matches(action)).map(|probe| probe.position));
            positions.sort_unstable();
            positions.dedup();
            exact.push((action, positions.into_boxed_slice()));
        }
        Self { exact: Exact::new(exact), by_service, residue }
    }

    /// The statements that may match `action` (lowercased, as in a [`crate::Request`]).
    #[must_use]
    pub fn candidates(&self, action: &str) -> Candidates<'_> {
        if let Some(positions) = self.exact.get(action) {
            return Candidates::Exact(positions);
        }
        Candidates::Check(&self.service(action).probes)
    }

    /// The statements that may match `action` for a decision alone (module documentation).
    #[must_use]
    pub fn decision_candidates(&self, action: &str) -> DecisionCandidates<'_> {
        if let Some(positions) = self.exact.get(action) {
            return DecisionCandidates::Exact(positions);
        }
        DecisionCandidates::Split(self.service(action))
    }

    /// Append the positions of the statements whose action clause matches the lowercased `action`, for a
    /// decision alone: [`ActionIndex::decision_candidates`] with the probes checked; in any order, a position
    /// possibly more than once (module documentation). `PolicySet::scan` walks the two branches itself,
    /// checking a probe only for a statement it still needs.
    pub fn push_matching(&self, action: &str, out: &mut Vec<u32>) {
        match self.decision_candidates(action) {
            DecisionCandidates::Exact(positions) => out.extend_from_slice(positions),
            DecisionCandidates::Split(service) => {
                out.extend(service.prefix_hits(action));
                let linear = service.linear().iter().filter(|probe| probe.matches(action));
                out.extend(linear.map(|probe| probe.position));
            }
        }
    }

    fn service(&self, action: &str) -> &ServiceProbes {
        self.by_service.get(service_of(action)).unwrap_or(&self.residue)
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
                {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
                {"Effect": "Deny", "NotAction": ["iam:*", "kms:Decrypt", "*:Get*"], "Resource": "*"}
            ]}"#,
        );
        let refs: Vec<&Statement> = owned.iter().collect();
        let index = ActionIndex::build(&refs);
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
                Candidates::Check(p) => {
                    p.iter().filter(|probe| probe.matches(action)).map(|probe| probe.position).collect()
                }
            };
            assert_eq!(found, expected, "{action}");
            let mut decided = Vec::new();
            index.push_matching(action, &mut decided);
            decided.sort_unstable();
            decided.dedup();
            assert_eq!(decided, expected, "decision candidates of {action}");
        }
        assert!(matches!(index.candidates("s3:getobject"), Candidates::Exact(_)));
        assert!(matches!(index.candidates("sqs:send"), Candidates::Check(_)));
    }

    #[test]
    fn test_r3_packed_literals_equal_the_map_form() {
        let lists: Vec<Box<[u32]>> = (0..300_u32).map(|i| (0..i % 4).map(|k| i + k).collect()).collect();
        let names: Vec<String> = (0..300).map(|i| format!("svc{}:action{i}", i % 7)).collect();
        let entries: Vec<(&str, Box<[u32]>)> =
            names.iter().map(String::as_str).zip(lists.iter().cloned()).collect();
        let packed = Exact::new(entries.clone());
        let map = Exact::map(entries);
        assert!(matches!(packed, Exact::Packed(_)) && matches!(map, Exact::Map(_)));
        for (name, list) in names.iter().zip(&lists) {
            assert_eq!(packed.get(name), Some(&**list), "{name}");
            assert_eq!(map.get(name), Some(&**list), "{name}");
        }
        for absent in ["", "svc1:action", "svc1:action1x", "svc8:action1", "svc0:action0 "] {
            assert_eq!(packed.get(absent), None, "{absent}");
            assert_eq!(map.get(absent), None, "{absent}");
        }
        assert_eq!(Exact::default().get("s3:getobject"), None);
    }
}
