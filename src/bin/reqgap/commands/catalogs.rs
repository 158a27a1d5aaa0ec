use reqgap::report::{self, CatalogList};

use super::{emit, load_catalogs};
use crate::cli::{CatalogsArgs, GlobalArgs};
use crate::output::{Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &CatalogsArgs) -> Result<Outcome, Failure> {
    let set = load_catalogs(global)?;
    let list = CatalogList::from_set(&set);
    emit(global, |style, out| {
        Ok(report::reporter(args.format.into(), *style).catalog_list(&list, out)?)
    })?;
    Ok(Outcome::Success)
}
