//! Cycles in `depends-on` and `escalates-to`, reported while an inventory is validated.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::{Inventory, Place};

/// Reports every cycle in `depends-on` and in `escalates-to`: a dependency cycle makes
/// "depends transitively" meaningless, and an escalation cycle means nobody is on top.
pub fn check_cycles(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let depends: Vec<(String, String)> = inventory
        .controls
        .values()
        .flat_map(|c| {
            c.depends_on
                .iter()
                .map(|d| (c.id.to_string(), d.to_string()))
        })
        .collect();
    for cycle in find_cycles(&depends) {
        let place = inventory
            .controls
            .get(cycle[0].as_str())
            .map(|c| c.place.clone());
        diagnostics.push(cycle_diagnostic(
            Code::DependencyCycle,
            "controls depend on each other in a cycle",
            &cycle,
            place,
        ));
    }
    let escalations: Vec<(String, String)> = inventory
        .owners
        .values()
        .filter_map(|o| {
            o.escalates_to
                .as_ref()
                .map(|up| (o.id.to_string(), up.to_string()))
        })
        .collect();
    for cycle in find_cycles(&escalations) {
        let place = inventory
            .owners
            .get(cycle[0].as_str())
            .map(|o| o.place.clone());
        diagnostics.push(cycle_diagnostic(
            Code::EscalationCycle,
            "escalation runs in a cycle, so nobody is on top",
            &cycle,
            place,
        ));
    }
}

fn cycle_diagnostic(code: Code, what: &str, cycle: &[String], place: Option<Place>) -> Diagnostic {
    let mut path = cycle.to_vec();
    path.push(cycle[0].clone());
    let d = Diagnostic::error(code, format!("{what}: {}", path.join(" -> ")));
    match place {
        Some(p) => d.at(Location {
            path: p.path,
            line: Some(p.line),
            column: Some(p.column),
            snippet: None,
            width: 1,
        }),
        None => d,
    }
}

/// Every cycle of a directed graph given as edges, one per strongly connected component,
/// starting at its smallest node and following the shortest way back (deterministic).
pub fn find_cycles(edges: &[(String, String)]) -> Vec<Vec<String>> {
    let mut graph: petgraph::graphmap::DiGraphMap<&str, (), std::hash::RandomState> =
        Default::default();
    for (from, to) in edges {
        graph.add_edge(from.as_str(), to.as_str(), ());
    }
    let mut cycles: Vec<Vec<String>> = petgraph::algo::tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| scc.len() > 1 || graph.contains_edge(scc[0], scc[0]))
        .filter_map(|scc| {
            let members: BTreeSet<&str> = scc.into_iter().collect();
            shortest_cycle(&graph, &members)
        })
        .collect();
    cycles.sort();
    cycles
}

fn shortest_cycle(
    graph: &petgraph::graphmap::DiGraphMap<&str, (), std::hash::RandomState>,
    members: &BTreeSet<&str>,
) -> Option<Vec<String>> {
    let start = *members.iter().next()?;
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(current) = queue.pop_front() {
        let mut next: Vec<&str> = graph
            .neighbors(current)
            .filter(|n| members.contains(n))
            .collect();
        next.sort_unstable();
        for n in next {
            if n == start {
                let mut cycle = vec![current.to_owned()];
                let mut at = current;
                while at != start {
                    at = parent[at];
                    cycle.push(at.to_owned());
                }
                cycle.reverse();
                return Some(cycle);
            }
            if n != start && !parent.contains_key(n) {
                parent.insert(n, current);
                queue.push_back(n);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn finds_each_cycle_once_from_its_smallest_node() {
        let cycles = find_cycles(&edges(&[
            ("C", "A"),
            ("A", "B"),
            ("B", "C"),
            ("D", "E"),
            ("X", "X"),
            ("E", "F"),
        ]));
        assert_eq!(
            cycles,
            vec![
                vec!["A".to_owned(), "B".into(), "C".into()],
                vec!["X".to_owned()]
            ]
        );
    }

    #[test]
    fn acyclic_graphs_have_no_cycles() {
        assert!(find_cycles(&edges(&[("A", "B"), ("B", "C"), ("A", "C")])).is_empty());
    }
}
