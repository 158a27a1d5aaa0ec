//! What embedders rely on: the analysis types can be shared across threads (a server
//! answering several requests with one loaded catalog set and one reporter per format).

#[test]
fn analysis_types_are_send_and_sync() {
    fn shared<T: Send + Sync + ?Sized>() {}
    shared::<dyn reqgap::report::Reporter>();
    shared::<reqgap::gaps::DiffBridge<'static>>();
    shared::<reqgap::Analysis>();
    shared::<reqgap::Analysed>();
    shared::<reqgap::model::CatalogSet>();
}
