#!/usr/bin/env python3
"""Import cycles between the modules of the workspace's library crates.

For each crate's `src/` (tenant-core, tenant-diesel, tenant-macros), maps every
module (a file, or an inline `mod x { .. }`) to its module path and collects the
module-to-module edges of the code: `use crate::..`, `use super::..`,
`use self::..`, `use child::..`, `pub use` re-exports (edges of the re-exporting
module) and paths in the code (`crate::x::Y`, `super::super::z`, through a `use`
alias). A module owns its submodules: `mod child;` and the parent's imports of
its own descendants are not edges; a child's import of its parent is.
An import of a crate-root re-export (`crate::Foo` where lib.rs has
`pub use bar::Foo`) is followed to the module that defines `Foo`, so that the
real edge is the one counted. `$crate::` paths inside `#[macro_export]` macros
are the expansion site's and are not counted.

Prints the strongly connected components of more than one module (the cycles)
and exits 1 if there is any. With `--root-reexports`, also lists every path that
reaches an item through the crate root's re-exports instead of its defining
module, and exits 1 if there is any. Python 3 standard library only.

    python3 scripts/import-graph.py [--root-reexports] [--edges] [CRATE_DIR ...]
    python3 scripts/import-graph.py --self-test

`--edges` prints every edge; `--self-test` checks the parser on a small crate.
"""

import os
import re
import sys
import tempfile

CRATES = ["tenant-core", "tenant-diesel", "tenant-macros"]

TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*)
  | (?P<raw_string>b?r(?P<hashes>\#*)")
  | (?P<string>b?"(?:\\.|[^"\\])*")
  | (?P<char>b?'(?:\\.|[^'\\])')
  | (?P<lifetime>'[A-Za-z_][A-Za-z0-9_]*)
  | (?P<dollar_crate>\$crate\b)
  | (?P<ident>(?:r\#)?[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9][A-Za-z0-9_.]*)
  | (?P<path_sep>::)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokenize(text):
    """Tokens of Rust source as (kind, text, line): comments and strings dropped
    (a string's text is kept as a `literal` token for `#[path = ".."]`)."""
    tokens = []
    pos = 0
    line = 1
    while pos < len(text):
        m = TOKEN.match(text, pos)
        kind = m.lastgroup
        if kind == "hashes":
            kind = "raw_string"
        if kind == "block_comment":
            depth = 0
            i = pos
            while i < len(text):
                if text.startswith("/*", i):
                    depth += 1
                    i += 2
                elif text.startswith("*/", i):
                    depth -= 1
                    i += 2
                    if depth == 0:
                        break
                else:
                    i += 1
            end = i
        elif kind == "raw_string":
            hashes = m.group("hashes")
            close = '"' + hashes
            end = text.find(close, m.end())
            end = len(text) if end < 0 else end + len(close)
        else:
            end = m.end()
        chunk = text[pos:end]
        if kind in ("string", "raw_string"):
            tokens.append(("literal", chunk, line, pos))
        elif kind in ("ident", "dollar_crate", "path_sep", "punct", "char", "number", "lifetime"):
            if kind == "ident" and chunk.startswith("r#"):
                chunk = chunk[2:]
            tokens.append((kind, chunk, line, pos))
        line += chunk.count("\n")
        pos = end
    return tokens


def matching(tokens, i, open_, close):
    """Index of the token closing the bracket opened at `i`."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j][1] == open_:
            depth += 1
        elif tokens[j][1] == close:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def parse_use_tree(tokens, i, prefix, out):
    """Parses a use tree at `i` into `out` as (segments, bound name or '*'),
    returns the index after it."""
    segs = list(prefix)
    while i < len(tokens):
        kind, text, _ = tokens[i][:3]
        if text == "{":
            end = matching(tokens, i, "{", "}")
            j = i + 1
            while j < end:
                j = parse_use_tree(tokens, j, segs, out)
                if j < end and tokens[j][1] == ",":
                    j += 1
            return end + 1
        if text == "*":
            out.append((segs, "*"))
            return i + 1
        if kind in ("ident", "dollar_crate"):
            segs = segs + [text]
            i += 1
            if i < len(tokens) and tokens[i][0] == "path_sep":
                i += 1
                continue
            name = text
            if i + 1 < len(tokens) and tokens[i][1] == "as":
                name = tokens[i + 1][1]
                i += 2
            if segs[-1] == "self":
                segs = segs[:-1]
                if name == "self":
                    name = segs[-1] if segs else "self"
            out.append((segs, name))
            return i
        if kind == "path_sep":  # a leading `::`
            i += 1
            continue
        return i + 1
    return i


class Module:
    def __init__(self, path, file, line):
        self.path = path  # tuple of names, () is the crate root
        self.file = file
        self.line = line
        self.uses = []  # (segments, bound name, line, is_pub)
        self.paths = []  # (segments, line)
        self.children = {}  # name -> path
        self.macros = set()  # #[macro_export] macro names defined here

    def name(self):
        return "crate" + "".join("::" + p for p in self.path)


def child_file(dir_, name):
    for cand in (os.path.join(dir_, name + ".rs"), os.path.join(dir_, name, "mod.rs")):
        if os.path.exists(cand):
            return cand
    return None


def load_crate(src):
    modules = {}

    def load_file(file, path, line):
        with open(file, encoding="utf-8") as f:
            tokens = tokenize(f.read())
        base = os.path.basename(file)
        if path == () or base == "mod.rs":
            dir_ = os.path.dirname(file)
        else:
            dir_ = os.path.join(os.path.dirname(file), path[-1])
        walk(tokens, 0, len(tokens), path, file, dir_, line)

    def walk(tokens, start, end, path, file, dir_, line):
        mod = Module(path, file, line)
        modules[path] = mod
        attr_path = None
        macro_export = False
        i = start
        while i < end:
            kind, text, ln = tokens[i][:3]
            if text == "#" and i + 1 < end and tokens[i + 1][1] in ("[", "!"):
                open_ = i + 1 if tokens[i + 1][1] == "[" else i + 2
                close = matching(tokens, open_, "[", "]")
                inner = [t[1] for t in tokens[open_ + 1 : close]]
                if inner[:2] == ["path", "="]:
                    attr_path = inner[2].strip('"')
                if inner[:1] == ["macro_export"]:
                    macro_export = True
                i = close + 1
                continue
            if text == "pub" and i + 1 < end and tokens[i + 1][1] == "(":
                i = matching(tokens, i + 1, "(", ")") + 1  # `pub(crate)` is no path
                continue
            if kind == "ident" and text == "macro_rules" and i + 2 < end and tokens[i + 1][1] == "!":
                name = tokens[i + 2][1]
                j = i + 3
                open_ = tokens[j][1]
                close_ = {"{": "}", "(": ")", "[": "]"}[open_]
                k = matching(tokens, j, open_, close_)
                if macro_export:
                    mod.macros.add(name)
                    i = k + 1  # expanded elsewhere: its `$crate` paths are not ours
                else:
                    i = j  # a local macro's paths are this module's
                macro_export = False
                continue
            if kind == "ident" and text == "mod" and i + 2 < end and tokens[i + 1][0] == "ident":
                name = tokens[i + 1][1]
                after = tokens[i + 2][1]
                if after == ";":
                    child = path + (name,)
                    mod.children[name] = child
                    if attr_path:
                        f = os.path.join(os.path.dirname(file) if path == () or os.path.basename(file) == "mod.rs" else dir_, attr_path)
                    else:
                        f = child_file(dir_, name)
                    if f:
                        load_file(f, child, ln)
                    i += 3
                    attr_path = None
                    macro_export = False
                    continue
                if after == "{":
                    close = matching(tokens, i + 2, "{", "}")
                    child = path + (name,)
                    mod.children[name] = child
                    walk(tokens, i + 3, close, child, file, os.path.join(dir_, name), ln)
                    i = close + 1
                    attr_path = None
                    macro_export = False
                    continue
            if kind == "ident" and text == "use" and (i == 0 or tokens[i - 1][0] != "path_sep"):
                is_pub = False
                j = i - 1
                if j >= 0 and tokens[j][1] == ")":
                    while j >= 0 and tokens[j][1] != "(":
                        j -= 1
                    j -= 1
                if j >= 0 and tokens[j][1] == "pub":
                    is_pub = True
                out = []
                k = parse_use_tree(tokens, i + 1, [], out)
                for segs, name in out:
                    mod.uses.append((segs, name, ln, is_pub))
                i = k
                attr_path = None
                macro_export = False
                continue
            if kind in ("ident", "dollar_crate") and (i == 0 or tokens[i - 1][0] != "path_sep"):
                segs = [text]
                j = i + 1
                while j + 1 < end and tokens[j][0] == "path_sep" and tokens[j + 1][0] in ("ident", "dollar_crate"):
                    segs.append(tokens[j + 1][1])
                    j += 2
                if len(segs) > 1 or text in ("crate", "$crate"):
                    mod.paths.append((segs, ln))
                i = j
                continue
            if text in (";", "}"):
                attr_path = None
                macro_export = False
            i += 1

    load_file(os.path.join(src, "lib.rs"), (), 1)
    return modules


class Graph:
    def __init__(self, crate_dir):
        self.crate = crate_dir
        self.modules = load_crate(os.path.join(crate_dir, "src"))
        self.macro_home = {}
        for m in self.modules.values():
            for name in m.macros:
                self.macro_home[name] = m.path
        self.edges = {}  # (from, to) -> first (file, line)
        self.root_reexports = []  # (module, segments, line, defined in)
        self.build()

    def absolute(self, mod, segs):
        """The crate-absolute segments of a path written in `mod`, or None if it
        names another crate (or a local name)."""
        first = segs[0]
        if first in ("crate", "$crate"):
            return list(segs[1:])
        if first in ("self", "super"):
            base = list(mod.path)
            rest = list(segs)
            if rest[0] == "self":
                rest = rest[1:]
            while rest and rest[0] == "super":
                base = base[:-1]
                rest = rest[1:]
            return base + rest
        if first in mod.children:
            return list(mod.path) + list(segs)
        for useg, name, _, _ in mod.uses:
            if name == first and useg:
                head = self.absolute(mod, useg) if useg[0] != first else None
                if head is not None:
                    return head + list(segs[1:])
        return None

    def module_prefix(self, segs):
        for n in range(len(segs), -1, -1):
            if tuple(segs[:n]) in self.modules:
                return tuple(segs[:n])
        return ()

    def resolve(self, segs, seen=None):
        """The module that defines what crate-absolute `segs` names, and whether
        the crate root's re-exports were followed to find it (None: another crate)."""
        target = self.module_prefix(segs)
        rest = segs[len(target):]
        if target == () and rest:
            name = rest[0]
            if name in self.macro_home:
                return self.macro_home[name], False
            root = self.modules[()]
            for useg, bound, _, _ in root.uses:
                if bound == name:
                    seen = seen or set()
                    if name in seen:
                        break
                    seen.add(name)
                    abs_ = self.absolute(root, useg)
                    if abs_ is None:
                        return None, True  # another crate's item, re-exported
                    inner, _ = self.resolve(abs_ + rest[1:], seen)
                    return inner, True
        return target, False

    def add(self, mod, segs, line, in_use):
        abs_ = self.absolute(mod, segs)
        if abs_ is None:
            return
        target, via_root = self.resolve(abs_)
        # A path through a `use` alias is counted at its `use`, not again here.
        written = segs[0] in ("crate", "$crate", "self", "super")
        if via_root and written and mod.path != ():
            self.root_reexports.append((mod, segs, line, target))
        if target is None or target[: len(mod.path)] == mod.path:
            return  # its own item, or a descendant's: a module owns its submodules
        self.edges.setdefault((mod.path, target), (mod.file, line))

    def build(self):
        for mod in self.modules.values():
            for segs, name, line, _ in mod.uses:
                if segs:
                    self.add(mod, segs, line, True)
            for segs, line in mod.paths:
                self.add(mod, segs, line, False)

    def cycles(self):
        nodes = list(self.modules)
        succ = {n: [] for n in nodes}
        for (a, b) in self.edges:
            if b in succ:
                succ[a].append(b)
        index, low, stack, on, comps = {}, {}, [], set(), []
        counter = [0]

        def strong(v):
            index[v] = low[v] = counter[0]
            counter[0] += 1
            stack.append(v)
            on.add(v)
            for w in succ[v]:
                if w not in index:
                    strong(w)
                    low[v] = min(low[v], low[w])
                elif w in on:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    comps.append(sorted(comp))

        sys.setrecursionlimit(10000)
        for v in nodes:
            if v not in index:
                strong(v)
        return comps


def name(path):
    return "crate" + "".join("::" + p for p in path)



SELF_TEST = {
    "lib.rs": """
        mod a;
        mod b;
        pub mod c;
        mod references;
        pub use a::Alpha;
        pub use b::{Beta as B2};
        pub(crate) mod d { pub use crate::c::Gamma; }
        #[macro_export]
        macro_rules! m { () => { $crate::a::Alpha }; }
    """,
    "a.rs": """
        use crate::{b::Beta, c::{self, Gamma}};
        // crate::references::sqlite::Delta in a comment is no edge
        const S: &str = "crate::references::sqlite";
        pub struct Alpha;
    """,
    "b.rs": """
        mod inner;
        pub struct Beta;
    """,
    "b/inner.rs": "use super::super::Alpha;",
    "c.rs": """
        pub struct Gamma;
        fn f() { let _ = self::super::a::Alpha; }
    """,
    "references.rs": "mod sqlite;",
    "references/sqlite.rs": "pub(crate) fn g() -> super::super::c::Gamma { crate::B2; todo!() }",
}


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        for path, text in SELF_TEST.items():
            os.makedirs(os.path.dirname(os.path.join(tmp, "src", path)), exist_ok=True)
            with open(os.path.join(tmp, "src", path), "w", encoding="utf-8") as f:
                f.write(text)
        g = Graph(tmp)
        edges = {(name(a), name(b)) for a, b in g.edges}
        expected = {
            ("crate::a", "crate::b"),
            ("crate::a", "crate::c"),
            ("crate::c", "crate::a"),
            ("crate::b::inner", "crate::a"),
            ("crate::d", "crate::c"),
            ("crate::references::sqlite", "crate::c"),
            ("crate::references::sqlite", "crate::b"),
        }  # the root's own re-exports are of its descendants: no edges
        assert edges == expected, sorted(edges ^ expected)
        assert g.cycles() == [[("a",), ("c",)]], g.cycles()
        through_root = sorted((name(m.path), "::".join(s)) for m, s, _, _ in g.root_reexports)
        assert through_root == [
            ("crate::b::inner", "super::super::Alpha"),
            ("crate::references::sqlite", "crate::B2"),
        ], through_root
    print("self-test: ok")
    return 0


def main(argv):
    if "--self-test" in argv:
        return self_test()
    show_reexports = "--root-reexports" in argv
    show_edges = "--edges" in argv
    dirs = [a for a in argv if not a.startswith("--")] or CRATES
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    failed = False
    for crate in dirs:
        g = Graph(os.path.join(root, crate))
        comps = g.cycles()
        print(f"{crate}: {len(g.modules)} modules, {len(g.edges)} import edges, {len(comps)} cycles")
        for comp in comps:
            failed = True
            members = set(comp)
            print("  cycle: " + ", ".join(name(p) for p in comp))
            for (a, b), (file, line) in sorted(g.edges.items()):
                if a in members and b in members:
                    print(f"    {name(a)} -> {name(b)}  ({os.path.relpath(file, root)}:{line})")
        if show_edges:
            for (a, b), (file, line) in sorted(g.edges.items()):
                print(f"  edge {name(a)} -> {name(b)}  ({os.path.relpath(file, root)}:{line})")
        if show_reexports:
            found = [
                (os.path.relpath(mod.file, root), line, "::".join(segs), target)
                for mod, segs, line, target in g.root_reexports
            ]
            print(f"{crate}: {len(found)} paths through the crate root's re-exports")
            for file, line, path, target in found:
                failed = True
                where = name(target) if target is not None else "another crate"
                print(f"  {file}:{line}: {path}  (defined in {where})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
