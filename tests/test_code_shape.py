"""The shape of the code in rpp/ that ruff cannot check: no area imports another in a circle. An area is a
subpackage or a top-level module of rpp/ (auth, staff, signin, …); rpp/__init__.py builds the app from them all."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
RPP = ROOT / "rpp"


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path):
    """Every rpp module a file imports (at any depth), `from . import x` counted as the module rpp.….x."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def area(module):
    """The area a module belongs to: `rpp.auth.routes` → "auth"; None for rpp itself and anything else."""
    parts = module.split(".")
    if parts[0] != "rpp" or len(parts) < 2:
        return None
    return parts[1] if (RPP / parts[1]).is_dir() or (RPP / f"{parts[1]}.py").is_file() else None


def area_imports():
    """{area: {imported area: the first file that imports it}}."""
    graph = {}
    for path in sorted(RPP.rglob("*.py")):
        here = area(module_name(path))
        for module in imported_modules(path):
            there = area(module)
            if here and there and there != here:
                graph.setdefault(here, {}).setdefault(there, str(path.relative_to(ROOT)))
    return graph


def cycles(graph):
    """The strongly connected groups of more than one area (Tarjan's algorithm), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph.get(node, {}):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_sees_the_areas_imports():
    graph = area_imports()
    assert graph["auth"]["judge"] == "rpp/auth/service.py"
    assert "extensions" in graph["registration"] and "models" in graph["events"]


def test_the_cycle_finder_names_a_circle():
    assert cycles({"a": {"b": ""}, "b": {"c": ""}, "c": {"a": ""}, "d": {"a": ""}}) == [["a", "b", "c"]]


def test_no_area_of_rpp_imports_another_in_a_circle():
    graph = area_imports()
    circles = [" → ".join([*group, group[0]]) + ": " + "; ".join(
        f"{a} → {b} in {graph[a][b]}" for a in group for b in group if b in graph.get(a, {}))
        for group in cycles(graph)]
    assert not circles, circles
