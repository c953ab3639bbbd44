//! A small library API described with utoipa 5, which writes OpenAPI 3.1: `main` prints its
//! document as JSON. No server: `#[utoipa::path]` on plain functions is all utoipa needs, and
//! the handlers are never called.

#![allow(dead_code)]

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

/// A book's genre (unit variants: a string enum).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum Genre {
    Fiction,
    NonFiction,
    Poetry,
    ScienceFiction,
}

/// How a book is published (internally tagged: an object per variant, with `type`).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Edition {
    Print {
        pages: u32,
        hardcover: bool,
    },
    Ebook {
        size_bytes: u64,
        /// The download link, when the book may be downloaded.
        download_url: Option<String>,
    },
    /// A newtype variant: the tag goes into the referenced struct.
    Audio(AudioEdition),
}

/// An audio book's edition.
#[derive(Serialize, Deserialize, ToSchema)]
struct AudioEdition {
    duration_seconds: u32,
    narrator: String,
}

/// A book found by ISBN (a string) or by catalogue number (an integer).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
enum BookKey {
    Isbn(String),
    Catalogue(u64),
}

/// The author, nested in a book.
#[derive(Serialize, Deserialize, ToSchema)]
struct Author {
    name: String,
    /// Year of birth, when known (nullable).
    born: Option<i32>,
    /// Links by site name.
    #[serde(default)]
    links: HashMap<String, String>,
}

/// A book of the catalogue.
#[derive(Serialize, Deserialize, ToSchema)]
struct Book {
    id: u64,
    title: String,
    /// Required but nullable: always sent, `null` when the book has none.
    #[schema(required = true)]
    subtitle: Option<String>,
    /// Optional, never `null`: left out when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    language: Option<String>,
    genre: Genre,
    author: Author,
    /// A nested struct that may be `null`.
    translator: Option<Author>,
    editions: Vec<Edition>,
    /// Free-form labels.
    #[serde(default)]
    tags: Vec<String>,
    /// Copies on the shelf, by branch.
    stock: HashMap<String, u32>,
    #[schema(minimum = 0.0, maximum = 5.0)]
    rating: Option<f64>,
}

/// What a new book is made of.
#[derive(Serialize, Deserialize, ToSchema)]
struct NewBook {
    #[schema(min_length = 1, max_length = 200)]
    title: String,
    subtitle: Option<String>,
    genre: Genre,
    author: Author,
    #[serde(default)]
    editions: Vec<Edition>,
}

/// A page of books.
#[derive(Serialize, Deserialize, ToSchema)]
struct BookPage {
    items: Vec<Book>,
    total: u64,
    next_cursor: Option<String>,
}

/// A cover image, sent as `multipart/form-data`.
#[derive(Deserialize, ToSchema)]
struct CoverUpload {
    /// The image file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// A thumbnail (JSON Schema 2020-12 spelling of a file).
    #[schema(value_type = Option<String>, content_media_type = "image/png")]
    thumbnail: Option<Vec<u8>>,
    caption: Option<String>,
}

/// An error code (unit variants).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum ErrorCode {
    NotFound,
    Invalid,
    Conflict,
}

/// Every error response.
#[derive(Serialize, Deserialize, ToSchema)]
struct ApiError {
    code: ErrorCode,
    message: String,
    /// Messages by field name, for `INVALID`.
    fields: Option<HashMap<String, Vec<String>>>,
}

/// Path parameters of one book.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct BookPath {
    /// The library's slug.
    library: String,
    /// The book's id.
    book_id: u64,
}

/// Query parameters of the book list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Only books of this genre.
    genre: Option<Genre>,
    /// Words of the title.
    q: Option<String>,
    /// The cursor of a page, from `next_cursor`.
    cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// Only books with every one of these tags.
    #[param(style = Form, explode)]
    tag: Option<Vec<String>>,
}

/// Lists the books of a library.
#[utoipa::path(get, path = "/libraries/{library}/books", tag = "books",
    params(("library" = String, Path, description = "The library's slug."), ListQuery,
        ("X-Request-Id" = Option<String>, Header, description = "Echoed back in logs.")),
    responses(
        (status = 200, description = "A page of books", body = BookPage,
            headers(("X-Total-Count" = u64, description = "Books in all pages."))),
        (status = 404, description = "No such library", body = ApiError)))]
fn list_books() {}

/// Adds a book.
#[utoipa::path(post, path = "/libraries/{library}/books", tag = "books",
    params(("library" = String, Path, description = "The library's slug.")),
    request_body = NewBook,
    responses(
        (status = 201, description = "Added", body = Book),
        (status = 409, description = "A book with that title exists", body = ApiError),
        (status = 422, description = "Invalid", body = ApiError)))]
fn create_book() {}

/// One book.
#[utoipa::path(get, path = "/libraries/{library}/books/{book_id}", tag = "books",
    params(BookPath),
    responses(
        (status = 200, description = "The book", body = Book),
        (status = 404, description = "No such book", body = ApiError)))]
fn get_book() {}

/// Deletes a book.
#[utoipa::path(delete, path = "/libraries/{library}/books/{book_id}", tag = "books",
    params(BookPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such book", body = ApiError)))]
fn delete_book() {}

/// Uploads a book's cover.
#[utoipa::path(put, path = "/libraries/{library}/books/{book_id}/cover", tag = "covers",
    params(BookPath),
    request_body(content = CoverUpload, content_type = "multipart/form-data"),
    responses(
        (status = 204, description = "Stored"),
        (status = 413, description = "Too large", body = ApiError)))]
fn upload_cover() {}

/// Finds a book by ISBN or catalogue number.
#[utoipa::path(post, path = "/lookup", tag = "books",
    request_body = BookKey,
    responses(
        (status = 200, description = "Found", body = Book),
        (status = 404, description = "Not found", body = ApiError)))]
fn lookup() {}

/// Adds bearer authentication, required by every operation.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Library", version = "1.0.0", description = "Books and covers."),
    servers((url = "https://library.example.com/api/v1")),
    paths(list_books, create_book, get_book, delete_book, upload_cover, lookup),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags((name = "books", description = "The catalogue"), (name = "covers"))
)]
struct ApiDoc;

fn main() {
    let json = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the document serializes");
    println!("{json}");
}
