//! Turns tokens into a [`Query`]: one command per `|`-separated stage.

use super::lexer::{Token, tokens};
use super::{Command, CompareOp, Expr, GroupKey, Query};
use crate::AppError;

/// Parses a Logs Insights query, or says what in it this version does not understand.
pub fn parse(text: &str) -> Result<Query, AppError> {
    let all = tokens(text)?;
    let mut commands = Vec::new();
    for stage in all.split(|t| *t == Token::Symbol("|")) {
        if stage.is_empty() {
            return Err(AppError::invalid_input(
                "the query has an empty stage between two '|'",
            ));
        }
        commands.push(
            Stage {
                tokens: stage,
                at: 0,
            }
            .command()?,
        );
    }
    if commands.is_empty() {
        return Err(AppError::invalid_input("the query is empty"));
    }
    Ok(Query { commands })
}

struct Stage<'a> {
    tokens: &'a [Token],
    at: usize,
}

fn bad(message: impl Into<String>) -> AppError {
    AppError::invalid_input(message)
}

impl Stage<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn symbol(&mut self, symbol: &str) -> Result<(), AppError> {
        match self.next() {
            Some(Token::Symbol(s)) if s == symbol => Ok(()),
            other => Err(bad(format!("expected '{symbol}', found {}", shown(&other)))),
        }
    }

    fn word(&mut self, what: &str) -> Result<String, AppError> {
        match self.next() {
            Some(Token::Word(w)) => Ok(w),
            other => Err(bad(format!("expected {what}, found {}", shown(&other)))),
        }
    }

    fn end(&self, command: &str) -> Result<(), AppError> {
        match self.peek() {
            None => Ok(()),
            other => Err(bad(format!(
                "unexpected {} after the {command} command",
                shown(&other.cloned())
            ))),
        }
    }

    fn command(mut self) -> Result<Command, AppError> {
        let name = self.word("a command")?.to_lowercase();
        let command = match name.as_str() {
            "fields" => Command::Fields(self.field_list()?),
            "filter" => Command::Filter(self.or()?),
            "stats" => self.stats()?,
            "sort" => {
                let field = self.word("a field to sort by")?;
                let descending = if self.keyword("desc") {
                    self.at += 1;
                    true
                } else {
                    if self.keyword("asc") {
                        self.at += 1;
                    }
                    false
                };
                Command::Sort { field, descending }
            }
            "limit" => {
                let n = self.word("a number of rows")?;
                Command::Limit(
                    n.parse()
                        .map_err(|_| bad(format!("limit takes a number, not '{n}'")))?,
                )
            }
            other => {
                return Err(bad(format!(
                    "the command '{other}' is not supported in this version; use fields, filter, stats count(*), sort or limit"
                )));
            }
        };
        self.end(&name)?;
        Ok(command)
    }

    fn field_list(&mut self) -> Result<Vec<String>, AppError> {
        let mut names = vec![self.word("a field name")?];
        while self.peek() == Some(&Token::Symbol(",")) {
            self.at += 1;
            names.push(self.word("a field name")?);
        }
        Ok(names)
    }

    fn stats(&mut self) -> Result<Command, AppError> {
        let function = self.word("an aggregate function")?;
        if !function.eq_ignore_ascii_case("count") {
            return Err(bad(format!(
                "stats supports count() in this version, not {function}()"
            )));
        }
        self.symbol("(")?;
        let argument = match self.next() {
            Some(Token::Symbol(")")) => String::from("*"),
            Some(Token::Symbol("*")) => {
                self.symbol(")")?;
                String::from("*")
            }
            Some(Token::Word(w)) => {
                self.symbol(")")?;
                w
            }
            other => return Err(bad(format!("unexpected {} in count()", shown(&other)))),
        };
        let mut alias = format!("count({argument})");
        if self.keyword("as") {
            self.at += 1;
            alias = self.word("a name after 'as'")?;
        }
        let mut by = Vec::new();
        if self.keyword("by") {
            self.at += 1;
            loop {
                by.push(self.group_key()?);
                if self.peek() != Some(&Token::Symbol(",")) {
                    break;
                }
                self.at += 1;
            }
        }
        let field = (argument != "*").then_some(argument);
        Ok(Command::Stats { alias, field, by })
    }

    fn group_key(&mut self) -> Result<GroupKey, AppError> {
        let name = self.word("a field to group by")?;
        if !name.eq_ignore_ascii_case("bin") || self.peek() != Some(&Token::Symbol("(")) {
            return Ok(GroupKey::Field(name));
        }
        self.at += 1;
        let label = self.word("a bin size such as 5m")?;
        self.symbol(")")?;
        let seconds = bin_seconds(&label).ok_or_else(|| {
            bad(format!(
                "bin({label}): use s, m or h up to a day, e.g. bin(5m)"
            ))
        })?;
        Ok(GroupKey::Bin { seconds, label })
    }

    fn or(&mut self) -> Result<Expr, AppError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.at += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, AppError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.at += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, AppError> {
        if self.keyword("not") {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Token::Symbol("(")) {
            self.at += 1;
            let inner = self.or()?;
            self.symbol(")")?;
            return Ok(inner);
        }
        let field = self.word("a field name")?;
        let negate = self.keyword("not");
        if negate {
            self.at += 1;
        }
        if self.keyword("like") {
            self.at += 1;
            let (text, ignore_case) = match self.next() {
                Some(Token::Pattern(p, i)) => (p, i),
                Some(Token::Text(t)) => (t, false),
                other => {
                    return Err(bad(format!(
                        "like takes /text/ or \"text\", found {}",
                        shown(&other)
                    )));
                }
            };
            let like = Expr::Like {
                field,
                text,
                ignore_case,
            };
            return Ok(if negate {
                Expr::Not(Box::new(like))
            } else {
                like
            });
        }
        if negate {
            return Err(bad("'not' after a field must be followed by 'like'"));
        }
        let op = match self.next() {
            Some(Token::Symbol("=")) => CompareOp::Eq,
            Some(Token::Symbol("!=")) => CompareOp::Ne,
            Some(Token::Symbol("<")) => CompareOp::Lt,
            Some(Token::Symbol("<=")) => CompareOp::Le,
            Some(Token::Symbol(">")) => CompareOp::Gt,
            Some(Token::Symbol(">=")) => CompareOp::Ge,
            other => {
                return Err(bad(format!(
                    "expected like or a comparison after {field}, found {}",
                    shown(&other)
                )));
            }
        };
        let value = match self.next() {
            Some(Token::Text(t)) | Some(Token::Word(t)) => t,
            other => return Err(bad(format!("expected a value, found {}", shown(&other)))),
        };
        Ok(Expr::Compare { field, op, value })
    }
}

fn bin_seconds(label: &str) -> Option<u32> {
    let unit = label.chars().last()?;
    let n: u32 = label.get(..label.len() - 1)?.parse().ok()?;
    let seconds = n.checked_mul(match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        _ => return None,
    })?;
    (seconds > 0 && seconds <= 86_400).then_some(seconds)
}

fn shown(token: &Option<Token>) -> String {
    match token {
        None => "the end of the stage".to_owned(),
        Some(Token::Word(w)) => format!("'{w}'"),
        Some(Token::Text(t)) => format!("\"{t}\""),
        Some(Token::Pattern(p, _)) => format!("/{p}/"),
        Some(Token::Symbol(s)) => format!("'{s}'"),
    }
}
