//! Price tables refreshed from the AWS Price List, kept as one JSON file per region so every
//! window and later runs use them; a file that cannot be read counts as none (the embedded
//! table applies) and is replaced by the next refresh.

use std::path::{Path, PathBuf};

use unyo_core::AppError;

use crate::prices::PriceTable;

fn file(dir: &Path, region: &str) -> PathBuf {
    dir.join(format!("{region}.json"))
}

/// The refreshed table of `region`, if one was saved and reads back.
pub fn load(dir: &Path, region: &str) -> Option<PriceTable> {
    let text = std::fs::read_to_string(file(dir, region)).ok()?;
    serde_json::from_str::<PriceTable>(&text)
        .ok()
        .filter(|table| table.region == region)
}

/// The table to price `region` with: the refreshed one, else the embedded one.
pub fn table_for(dir: &Path, region: &str) -> PriceTable {
    load(dir, region).unwrap_or_else(|| PriceTable::embedded(region))
}

/// Saves a refreshed table, replacing the region's file whole (written aside, then renamed).
pub fn save(dir: &Path, table: &PriceTable) -> Result<(), AppError> {
    let storage = |e: std::io::Error| {
        AppError::new(
            unyo_core::ErrorCode::Storage,
            format!("the prices could not be saved in {}: {e}", dir.display()),
        )
    };
    std::fs::create_dir_all(dir).map_err(storage)?;
    let text = serde_json::to_string_pretty(table).map_err(|e| {
        AppError::new(
            unyo_core::ErrorCode::Internal,
            format!("prices as JSON: {e}"),
        )
    })?;
    let target = file(dir, &table.region);
    let aside = target.with_extension("json.new");
    std::fs::write(&aside, text).map_err(storage)?;
    std::fs::rename(&aside, &target).map_err(storage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prices::Origin;

    #[test]
    fn a_saved_table_is_used_and_a_damaged_one_falls_back_to_the_embedded() {
        let dir = std::env::temp_dir().join(format!("unyo-prices-{}", std::process::id()));
        let mut table = PriceTable::embedded("us-east-1");
        table.origin = Origin::PriceList {
            publication: "2026-10-04T20:27:30Z".into(),
            fetched_at: "2026-12-07T22:00:00Z".into(),
        };
        save(&dir, &table).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(table_for(&dir, "us-east-1"), table);
        assert_eq!(
            table_for(&dir, "eu-west-1"),
            PriceTable::embedded("eu-west-1")
        );
        std::fs::write(dir.join("us-east-1.json"), "{ damaged").unwrap_or_default();
        assert_eq!(
            table_for(&dir, "us-east-1"),
            PriceTable::embedded("us-east-1")
        );
        std::fs::remove_dir_all(&dir).unwrap_or_default();
    }
}
