//! Splits a query into tokens: words (field names such as `@message` or `req.path`,
//! keywords, numbers), quoted strings, `/.../` patterns and punctuation.

use crate::AppError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Word(String),
    Text(String),
    /// A `/.../` pattern and whether it ends with the `i` flag.
    Pattern(String, bool),
    Symbol(&'static str),
}

const SYMBOLS: [&str; 11] = ["!=", "<=", ">=", "|", ",", "(", ")", "*", "=", "<", ">"];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '@' | '_' | '.' | '-' | '$')
}

pub(super) fn tokens(text: &str) -> Result<Vec<Token>, AppError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '\'' {
            let (body, next) = delimited(&chars, i, c)?;
            out.push(Token::Text(body));
            i = next;
        } else if c == '/' {
            let (body, mut next) = delimited(&chars, i, '/')?;
            let ignore_case = chars.get(next) == Some(&'i');
            if ignore_case {
                next += 1;
            }
            if let Some(meta) = body.chars().find(|c| "^$*+?()[]{}|\\".contains(*c)) {
                return Err(AppError::invalid_input(format!(
                    "the pattern /{body}/ uses '{meta}'; Unyo matches like /.../ patterns as literal text in this version"
                )));
            }
            out.push(Token::Pattern(body, ignore_case));
            i = next;
        } else if let Some(symbol) = SYMBOLS.iter().find(|s| starts_with(&chars, i, s)) {
            out.push(Token::Symbol(symbol));
            i += symbol.len();
        } else if is_word_char(c) {
            let start = i;
            while i < chars.len() && is_word_char(chars[i]) {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else {
            return Err(AppError::invalid_input(format!(
                "unexpected '{c}' at character {} of the query",
                i + 1
            )));
        }
    }
    Ok(out)
}

fn starts_with(chars: &[char], at: usize, text: &str) -> bool {
    text.chars()
        .enumerate()
        .all(|(k, c)| chars.get(at + k) == Some(&c))
}

/// The text between `quote` at `start` and the next unescaped `quote`, and the index after it.
fn delimited(chars: &[char], start: usize, quote: char) -> Result<(String, usize), AppError> {
    let mut body = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if chars.get(i + 1) == Some(&quote) => {
                body.push(quote);
                i += 2;
            }
            c if c == quote => return Ok((body, i + 1)),
            c => {
                body.push(c);
                i += 1;
            }
        }
    }
    Err(AppError::invalid_input(format!(
        "the query has an unclosed {quote} that starts at character {}",
        start + 1
    )))
}
