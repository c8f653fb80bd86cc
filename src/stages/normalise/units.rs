//! Unit names matched to the configured units by code, name or alias (SPEC §2.4).

use crate::config::Config;
use crate::text::{norm, split_code, unit_key};
use std::collections::HashMap;

// ---------------------------------------------------------------------------------------
// Units (SPEC §2.4)

/// Matches raw unit names against the configured units.
#[derive(Debug, Clone)]
pub struct UnitMatcher {
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    by_alias: HashMap<String, usize>,
    names: Vec<(String, usize)>,
}

/// Why a unit could not be matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitError {
    Unknown,
    Conflict(usize, usize),
}

impl UnitMatcher {
    pub fn new(cfg: &Config) -> UnitMatcher {
        let mut m = UnitMatcher {
            by_code: HashMap::new(),
            by_name: HashMap::new(),
            by_alias: HashMap::new(),
            names: Vec::new(),
        };
        for (i, u) in cfg.units.iter().enumerate() {
            if let Some(c) = &u.code {
                m.by_code.insert(norm(c), i);
            }
            m.by_name.insert(unit_key(&u.name), i);
            m.names.push((unit_key(&u.name), i));
            for a in &u.aliases {
                m.by_alias.insert(unit_key(a), i);
                m.names.push((unit_key(a), i));
            }
        }
        m
    }

    /// The unit of a row: by code (from the code column or the name's prefix), by name, by
    /// alias.
    pub fn find(&self, raw_name: &str, code_cell: &str) -> Result<usize, UnitError> {
        let (prefix, key) = split_code(raw_name);
        let code = Some(norm(code_cell)).filter(|c| !c.is_empty()).or(prefix);
        let by_code = code.and_then(|c| self.by_code.get(&c).copied());
        let by_name = self
            .by_name
            .get(&key)
            .or_else(|| self.by_alias.get(&key))
            .copied();
        match (by_code, by_name) {
            (Some(a), Some(b)) if a != b => Err(UnitError::Conflict(a, b)),
            (Some(a), _) => Ok(a),
            (None, Some(b)) => Ok(b),
            (None, None) => Err(UnitError::Unknown),
        }
    }

    /// The configured unit `raw` most likely means: the one whose name it abbreviates (its
    /// characters in order, the shortest name winning — `init`'s rule), else the name or alias
    /// closest by edit distance.
    pub fn closest(&self, raw: &str) -> Option<usize> {
        let short = unit_key(raw);
        let names: Vec<&str> = self.names.iter().map(|(n, _)| n.as_str()).collect();
        if let Ok(Some(full)) = crate::draft::abbreviation_of(&short, &names) {
            return self.names.iter().find(|(n, _)| n == full).map(|(_, i)| *i);
        }
        let key: Vec<char> = short.chars().collect();
        self.names
            .iter()
            .map(|(n, i)| (edit_distance(&key, &n.chars().collect::<Vec<_>>()), *i))
            .min()
            .map(|(_, i)| i)
    }
}

/// Levenshtein distance between two strings of characters.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let v = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}
