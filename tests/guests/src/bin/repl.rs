//! `repl`: an interactive integer calculator. Prints the prompt "> " (flushed), reads a line,
//! evaluates + - * / % with parentheses and unary minus over i64, prints the result, repeats.
//! Exits 0 at EOF or on "exit"/"quit". Bad input prints "error: ..." to stderr and continues.
use std::io::{BufRead, Write};

fn main() {
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    let mut line = String::new();
    loop {
        write!(stdout, "> ").unwrap();
        stdout.flush().unwrap();
        line.clear();
        match stdin.lock().read_line(&mut line) {
            Ok(0) => {
                // EOF: end the prompt's line so a terminal is left clean.
                writeln!(stdout).unwrap();
                return;
            }
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: reading stdin: {e}");
                std::process::exit(1);
            }
        }
        let input = line.trim();
        match input {
            "" => continue,
            "exit" | "quit" => return,
            _ => match evaluate(input) {
                Ok(value) => writeln!(stdout, "{value}").unwrap(),
                Err(message) => eprintln!("error: {message}"),
            },
        }
    }
}

fn evaluate(input: &str) -> Result<i64, String> {
    let mut parser = Parser { chars: input.char_indices().peekable(), input };
    let value = parser.expression()?;
    match parser.peek() {
        None => Ok(value),
        Some((at, c)) => Err(format!("unexpected '{c}' at column {}", at + 1)),
    }
}

/// Recursive descent: expression = term (("+"|"-") term)*; term = factor (("*"|"/"|"%") factor)*;
/// factor = "-" factor | number | "(" expression ")".
struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    input: &'a str,
}

impl Parser<'_> {
    fn peek(&mut self) -> Option<(usize, char)> {
        while let Some(&(_, c)) = self.chars.peek() {
            if !c.is_whitespace() {
                break;
            }
            self.chars.next();
        }
        self.chars.peek().copied()
    }

    fn expression(&mut self) -> Result<i64, String> {
        let mut value = self.term()?;
        while let Some((_, op @ ('+' | '-'))) = self.peek() {
            self.chars.next();
            let rhs = self.term()?;
            value = if op == '+' { value.checked_add(rhs) } else { value.checked_sub(rhs) }
                .ok_or("overflow")?;
        }
        Ok(value)
    }

    fn term(&mut self) -> Result<i64, String> {
        let mut value = self.factor()?;
        while let Some((_, op @ ('*' | '/' | '%'))) = self.peek() {
            self.chars.next();
            let rhs = self.factor()?;
            if op != '*' && rhs == 0 {
                return Err("division by zero".into());
            }
            value = match op {
                '*' => value.checked_mul(rhs),
                '/' => value.checked_div(rhs),
                _ => value.checked_rem(rhs),
            }
            .ok_or("overflow")?;
        }
        Ok(value)
    }

    fn factor(&mut self) -> Result<i64, String> {
        match self.peek() {
            Some((_, '-')) => {
                self.chars.next();
                self.factor()?.checked_neg().ok_or_else(|| "overflow".into())
            }
            Some((_, '(')) => {
                self.chars.next();
                let value = self.expression()?;
                match self.peek() {
                    Some((_, ')')) => {
                        self.chars.next();
                        Ok(value)
                    }
                    Some((at, c)) => Err(format!("expected ')' but found '{c}' at column {}", at + 1)),
                    None => Err("expected ')' at end of input".into()),
                }
            }
            Some((start, c)) if c.is_ascii_digit() => {
                let mut end = start;
                while let Some(&(i, d)) = self.chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    end = i + 1;
                    self.chars.next();
                }
                self.input[start..end].parse().map_err(|_| "number too large".into())
            }
            Some((at, c)) => Err(format!("unexpected '{c}' at column {}", at + 1)),
            None => Err("unexpected end of input".into()),
        }
    }
}
