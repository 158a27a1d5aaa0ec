//! A picture of the inventory graph (built in [`crate::picture`]) drawn as Graphviz DOT,
//! Mermaid (rendered inline by GitHub and GitLab) or an SVG that reqgap lays out itself
//! ([`layout`]), so no Graphviz is needed.

mod dot;
pub mod layout;
mod mermaid;
pub mod svg;

pub use dot::dot;
pub use mermaid::mermaid;
