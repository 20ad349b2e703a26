//! Types, statements, expressions and patterns fed to the printer as prettyplease feeds
//! syn's: each function here is the prettyplease 0.2.37 function of the same name (`expr.rs`,
//! `stmt.rs`, `ty.rs`, `path.rs`, `pat.rs`, `mac.rs` with its `verbatim` feature), for the
//! syntax [`super::syntax`] reads. The parentheses prettyplease adds for precedence are never
//! needed by what codegen writes, so they are not computed.

use super::pp::{BreakToken, Printer, INDENT};
use super::syntax::{simple_literal, Bound, Expr, GenericArg, Pat, Path, Stmt, Ty};

impl<'a> Printer<'a> {
    pub(super) fn ty(&mut self, ty: &'a Ty<'a>) {
        match ty {
            Ty::Path(path) => self.path(path, false),
            Ty::Ref { lifetime, mutable, elem } => {
                self.word("&");
                if let Some(lifetime) = lifetime {
                    self.word(*lifetime);
                    self.nbsp();
                }
                if *mutable {
                    self.word("mut ");
                }
                self.ty(elem);
            }
            Ty::Impl(bounds) => {
                self.word("impl ");
                for (i, bound) in bounds.iter().enumerate() {
                    if i > 0 {
                        self.word(" + ");
                    }
                    match bound {
                        Bound::Trait(path) => self.path(path, false),
                        Bound::Lifetime(lifetime) => self.word(*lifetime),
                    }
                }
            }
            Ty::Tuple(elems) => {
                self.word("(");
                self.list(elems, Self::ty);
                self.word(")");
            }
            Ty::Slice(elem) => {
                self.word("[");
                self.ty(elem);
                self.word("]");
            }
        }
    }

    /// A path; `expr`: in an expression, where generic arguments follow `::`.
    pub(super) fn path(&mut self, path: &'a Path<'a>, expr: bool) {
        for (i, segment) in path.segments().enumerate() {
            if i > 0 || path.leading_colon {
                self.word("::");
            }
            self.word(segment.ident);
            if !segment.args.is_empty() {
                if expr {
                    self.word("::");
                }
                self.generic_args(&segment.args);
            }
        }
    }

    /// `<…>`, lifetimes first.
    fn generic_args(&mut self, args: &'a [GenericArg<'a>]) {
        self.word("<");
        self.cbox(INDENT);
        self.zerobreak();
        let lifetimes = args.iter().filter(|a| matches!(a, GenericArg::Lifetime(_)));
        let others = args.iter().filter(|a| !matches!(a, GenericArg::Lifetime(_)));
        for (i, arg) in lifetimes.chain(others).enumerate() {
            match arg {
                GenericArg::Lifetime(lifetime) => self.word(*lifetime),
                GenericArg::Type(ty) => self.ty(ty),
                GenericArg::Assoc(name, ty) => {
                    self.word(*name);
                    self.word(" = ");
                    self.ty(ty);
                }
            }
            self.trailing_comma(i + 1 == args.len());
        }
        self.offset(-INDENT);
        self.end();
        self.word(">");
    }

    pub(super) fn stmts(&mut self, stmts: &'a [Stmt<'a>]) {
        for stmt in stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt<'a>) {
        match stmt {
            Stmt::Let(pat, init) => {
                self.ibox(0);
                self.word("let ");
                self.pat(pat);
                self.word(" = ");
                self.neverbreak();
                self.expr(init);
                self.end();
                self.word(";");
                self.hardbreak();
            }
            Stmt::Semi(e) | Stmt::Tail(e) => {
                self.ibox(0);
                self.expr_beginning_of_line(e, true);
                if matches!(stmt, Stmt::Semi(_)) {
                    self.word(";");
                }
                self.end();
                self.hardbreak();
            }
            Stmt::Use(segments, rename) => {
                self.word("use ");
                for (i, segment) in segments.iter().enumerate() {
                    if i > 0 {
                        self.word("::");
                    }
                    self.word(*segment);
                }
                if let Some(rename) = rename {
                    self.word(" as ");
                    self.word(*rename);
                }
                self.word(";");
                self.hardbreak();
            }
        }
    }

    fn expr(&mut self, e: &'a Expr<'a>) {
        match e {
            Expr::Path(path) => self.path(path, true),
            Expr::Lit(lit) => self.word(*lit),
            Expr::Call(..) | Expr::Method(..) | Expr::Field(..) | Expr::Try(_) | Expr::Await(_) => {
                self.expr_beginning_of_line(e, false);
            }
            Expr::Ref(mutable, inner) => {
                self.word("&");
                if *mutable {
                    self.word("mut ");
                }
                self.expr(inner);
            }
            Expr::Unary(op, inner) => {
                self.word(op.to_string());
                self.expr(inner);
            }
            Expr::Macro(path, args) => {
                self.path(path, false);
                self.word("!");
                let vec = path.last().ident == "vec";
                self.word(if vec { "[" } else { "(" });
                self.list(args, Self::expr);
                self.word(if vec { "]" } else { ")" });
            }
            Expr::Tuple(elems) => {
                self.word("(");
                self.cbox(INDENT);
                self.zerobreak();
                for (i, elem) in elems.iter().enumerate() {
                    self.expr(elem);
                    if elems.len() == 1 {
                        self.word(",");
                        self.zerobreak();
                    } else {
                        self.trailing_comma(i + 1 == elems.len());
                    }
                }
                self.offset(-INDENT);
                self.end();
                self.word(")");
            }
            Expr::Paren(inner) => {
                self.word("(");
                self.expr(inner);
                self.word(")");
            }
            Expr::Array(elems) => self.array(elems),
            Expr::Struct(path, fields) => self.struct_literal(path, fields),
            Expr::Closure(params, body) => self.closure(params, body),
            Expr::Match(scrutinee, arms) => self.expr_match(scrutinee, arms),
            Expr::Async(capture, stmts) => {
                self.word("async ");
                if *capture {
                    self.word("move ");
                }
                self.cbox(INDENT);
                self.small_block(stmts);
                self.end();
            }
            Expr::Block(stmts) => {
                self.cbox(INDENT);
                self.small_block(stmts);
                self.end();
            }
        }
    }

    /// prettyplease's list in delimiters: a consistent box a level deeper, each item followed
    /// by a comma, the last one's printed only when the box breaks.
    fn list<T>(&mut self, items: &'a [T], each: fn(&mut Self, &'a T)) {
        self.cbox(INDENT);
        self.zerobreak();
        for (i, item) in items.iter().enumerate() {
            each(self, item);
            self.trailing_comma(i + 1 == items.len());
        }
        self.offset(-INDENT);
        self.end();
    }

    fn array(&mut self, elems: &'a [Expr<'a>]) {
        if elems.is_empty() {
            self.word("[]");
            return;
        }
        let simple = elems.iter().all(|e| matches!(e, Expr::Lit(l) if simple_literal(l)));
        if simple {
            self.cbox(INDENT);
            self.word("[");
            self.zerobreak();
            self.ibox(0);
            for (i, elem) in elems.iter().enumerate() {
                self.expr(elem);
                if i + 1 < elems.len() {
                    self.word(",");
                    self.space();
                }
            }
            self.end();
            self.trailing_comma(true);
            self.offset(-INDENT);
            self.word("]");
            self.end();
        } else {
            self.word("[");
            self.list(elems, Self::expr);
            self.word("]");
        }
    }

    fn struct_literal(&mut self, path: &'a Path<'a>, fields: &'a [(&'a str, Option<Expr<'a>>)]) {
        self.cbox(INDENT);
        self.ibox(-INDENT);
        self.path(path, true);
        self.end();
        self.word(" {");
        self.space_if_nonempty();
        for (i, (member, value)) in fields.iter().enumerate() {
            self.word(*member);
            if let Some(value) = value {
                self.word(": ");
                self.ibox(0);
                self.expr(value);
                self.end();
            }
            self.trailing_comma_or_space(i + 1 == fields.len());
        }
        self.offset(-INDENT);
        self.end_with_max_width(34);
        self.word("}");
    }

    fn closure(&mut self, params: &'a [Pat<'a>], body: &'a Expr<'a>) {
        self.ibox(0);
        self.cbox(INDENT);
        self.word("|");
        for (i, pat) in params.iter().enumerate() {
            if i == 0 {
                self.zerobreak();
            }
            self.pat(pat);
            if i + 1 < params.len() {
                self.word(",");
                self.space();
            }
        }
        self.word("|");
        self.space();
        self.offset(-INDENT);
        self.end();
        self.neverbreak();
        let wrap_in_brace = !matches!(body, Expr::Match(..) | Expr::Call(..)) && !blocklike(body);
        if wrap_in_brace {
            self.cbox(INDENT);
            let okay_to_brace = parseable_as_stmt(body);
            self.scan_break(BreakToken { pre_break: Some(if okay_to_brace { '{' } else { '(' }), ..BreakToken::default() });
            self.expr(body);
            self.scan_break(BreakToken { offset: -INDENT, post_break: if okay_to_brace { "}" } else { ")" }, ..BreakToken::default() });
            self.end();
        } else {
            self.expr(body);
        }
        self.end();
    }

    fn expr_match(&mut self, scrutinee: &'a Expr<'a>, arms: &'a [(Pat, Expr)]) {
        self.ibox(0);
        self.word("match ");
        self.cbox(0);
        self.expr(scrutinee);
        if needs_newline_if_wrap(scrutinee) {
            self.space();
        } else {
            self.nbsp();
        }
        self.end();
        self.word("{");
        self.neverbreak();
        self.cbox(INDENT);
        self.hardbreak_if_nonempty();
        for (pat, body) in arms {
            self.arm(pat, body);
            self.hardbreak();
        }
        self.offset(-INDENT);
        self.end();
        self.word("}");
        self.end();
    }

    fn arm(&mut self, pat: &'a Pat<'a>, body: &'a Expr<'a>) {
        let mut body = body;
        self.ibox(0);
        self.pat(pat);
        self.word(" => ");
        while let Expr::Block(stmts) = body {
            match stmts.as_slice() {
                [Stmt::Tail(inner)] => body = inner,
                _ => break,
            }
        }
        // `()` is printed as an empty block.
        let empty: &[Stmt] = &[];
        let block = match body {
            Expr::Tuple(elems) if elems.is_empty() => Some(empty),
            Expr::Block(stmts) => Some(&stmts[..]),
            _ => None,
        };
        if let Some(stmts) = block {
            self.word("{");
            self.neverbreak();
            self.cbox(INDENT);
            self.hardbreak_if_nonempty();
            self.stmts(stmts);
            self.offset(-INDENT);
            self.end();
            self.word("}");
        } else {
            self.neverbreak();
            self.cbox(INDENT);
            let okay_to_brace = parseable_as_stmt(body);
            self.scan_break(BreakToken { pre_break: Some(if okay_to_brace { '{' } else { '(' }), ..BreakToken::default() });
            self.expr_beginning_of_line(body, true);
            self.scan_break(BreakToken {
                offset: -INDENT,
                post_break: if okay_to_brace { "}" } else { ")," },
                no_break: (!matches!(body, Expr::Match(..) | Expr::Block(_))).then_some(','),
                ..BreakToken::default()
            });
            self.end();
        }
        self.end();
    }

    fn small_block(&mut self, stmts: &'a [Stmt<'a>]) {
        self.word("{");
        if !stmts.is_empty() {
            self.space();
            match stmts {
                [Stmt::Tail(e)] => {
                    self.ibox(0);
                    self.expr_beginning_of_line(e, true);
                    self.end();
                    self.space();
                }
                _ => self.stmts(stmts),
            }
            self.offset(-INDENT);
        }
        self.word("}");
    }

    fn expr_beginning_of_line(&mut self, e: &'a Expr<'a>, bol: bool) {
        match e {
            Expr::Await(base) => {
                self.cbox(INDENT);
                self.prefix_subexpr_dot(base, bol, ".await");
                self.end();
            }
            Expr::Field(base, member) => {
                self.cbox(INDENT);
                self.prefix_subexpr_dot(base, bol, "");
                self.word(".");
                self.word(*member);
                self.end();
            }
            Expr::Method(receiver, ..) => {
                self.cbox(INDENT);
                let unindent = bol && short_ident(receiver);
                self.prefix_subexpr_method_call(e, bol, unindent);
                self.end();
            }
            Expr::Try(inner) => {
                self.expr_beginning_of_line(inner, bol);
                self.word("?");
            }
            Expr::Call(func, args) => {
                self.expr_beginning_of_line(func, bol);
                self.word("(");
                self.call_args(args);
                self.word(")");
            }
            _ => self.expr(e),
        }
    }

    fn prefix_subexpr(&mut self, e: &'a Expr<'a>, bol: bool) {
        match e {
            Expr::Await(base) => self.prefix_subexpr_dot(base, bol, ".await"),
            Expr::Call(func, args) => {
                self.prefix_subexpr(func, false);
                self.word("(");
                self.call_args(args);
                self.word(")");
            }
            Expr::Field(base, member) => {
                self.prefix_subexpr_dot(base, bol, "");
                self.word(".");
                self.word(*member);
            }
            Expr::Method(..) => self.prefix_subexpr_method_call(e, bol, false),
            Expr::Try(inner) => {
                self.prefix_subexpr(inner, bol);
                self.word("?");
            }
            _ => {
                self.cbox(-INDENT);
                self.expr(e);
                self.end();
            }
        }
    }

    /// The base of `.await` or a field, the break before the dot, and `.await` (`suffix`).
    fn prefix_subexpr_dot(&mut self, base: &'a Expr<'a>, bol: bool, suffix: &'static str) {
        self.prefix_subexpr(base, bol);
        if !(bol && short_ident(base)) {
            let no_break = self.ends_with('.').then_some(' ');
            self.scan_break(BreakToken { no_break, ..BreakToken::default() });
        }
        if !suffix.is_empty() {
            self.word(suffix);
        }
    }

    fn prefix_subexpr_method_call(&mut self, e: &'a Expr<'a>, bol: bool, unindent: bool) {
        let Expr::Method(receiver, method, turbofish, args) = e else { return };
        self.prefix_subexpr_dot(receiver, bol, "");
        self.word(".");
        self.word(*method);
        if !turbofish.is_empty() {
            self.word("::");
            self.generic_args(turbofish);
        }
        self.cbox(if unindent { -INDENT } else { 0 });
        self.word("(");
        self.call_args(args);
        self.word(")");
        self.end();
    }

    fn call_args(&mut self, args: &'a [Expr<'a>]) {
        match args {
            [one] if blocklike(one) => self.expr(one),
            _ => self.list(args, Self::expr),
        }
    }

    pub(super) fn pat(&mut self, pat: &'a Pat<'a>) {
        match pat {
            Pat::Ident(mutable, name) => {
                if *mutable {
                    self.word("mut ");
                }
                self.word(*name);
            }
            Pat::Wild => self.word("_"),
            Pat::Bind(name, sub) => {
                self.word(*name);
                self.word(" @ ");
                self.pat(sub);
            }
            Pat::Range(low, high, closed) => {
                self.word(*low);
                self.word(if *closed { "..=" } else { ".." });
                self.word(*high);
            }
            Pat::Lit(lit) => self.word(*lit),
            Pat::Path(path) => self.path(path, true),
            Pat::TupleStruct(path, elems) => {
                self.path(path, true);
                self.word("(");
                self.list(elems, Self::pat);
                self.word(")");
            }
            Pat::Tuple(elems) => {
                self.word("(");
                self.list(elems, Self::pat);
                self.word(")");
            }
            Pat::Struct(path, fields, rest) => {
                self.cbox(INDENT);
                self.path(path, true);
                self.word(" {");
                self.space_if_nonempty();
                for (i, (member, sub)) in fields.iter().enumerate() {
                    self.word(*member);
                    if let Some(sub) = sub {
                        self.word(": ");
                        self.pat(sub);
                    }
                    self.trailing_comma_or_space(i + 1 == fields.len() && !rest);
                }
                if *rest {
                    self.word("..");
                    self.space();
                }
                self.offset(-INDENT);
                self.end();
                self.word("}");
            }
            Pat::Type(pat, ty) => {
                self.pat(pat);
                self.word(": ");
                self.ty(ty);
            }
        }
    }
}

/// prettyplease's `is_short_ident`: a one-segment path of at most four characters.
fn short_ident(e: &Expr) -> bool {
    matches!(e, Expr::Path(p) if p.single().is_some_and(|one| one.args.is_empty() && one.ident.len() <= INDENT as usize))
}

fn blocklike(e: &Expr) -> bool {
    matches!(e, Expr::Array(_) | Expr::Async(..) | Expr::Block(_) | Expr::Closure(..) | Expr::Struct(..) | Expr::Tuple(_))
}

fn needs_newline_if_wrap(e: &Expr) -> bool {
    match e {
        Expr::Await(_) | Expr::Field(..) | Expr::Method(..) => true,
        Expr::Call(inner, _) | Expr::Ref(_, inner) | Expr::Try(inner) | Expr::Unary(_, inner) | Expr::Paren(inner) => needs_newline_if_wrap(inner),
        _ => false,
    }
}

fn parseable_as_stmt(mut e: &Expr) -> bool {
    loop {
        match e {
            Expr::Await(inner) | Expr::Field(inner, _) | Expr::Try(inner) | Expr::Method(inner, ..) => e = inner,
            Expr::Call(func, _) => {
                if matches!(**func, Expr::Match(..) | Expr::Block(_)) {
                    return false;
                }
                e = func;
            }
            _ => return true,
        }
    }
}
