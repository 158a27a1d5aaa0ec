//! Small macros shared by the model's enums.

/// The stable kebab-case name of each variant (`as_str`), a `Display` that writes it, and
/// `VARIANTS`, every variant in declaration order. The names are those serde uses, so text
/// output and JSON agree (a test in `report` checks every variant).
macro_rules! enum_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const VARIANTS: &'static [$ty] = &[$($ty::$variant),+];

            /// The variant's stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
