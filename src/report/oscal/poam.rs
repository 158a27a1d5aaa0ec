//! Open gaps as an OSCAL 1.2 plan of action and milestones.
