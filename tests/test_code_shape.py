"""The shape of the code in rpp/: short functions, so each one can be read and changed on its own."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
LONGEST_FUNCTION = 60


def functions(tree):
    return (node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))


def test_no_function_in_rpp_is_longer_than_sixty_lines():
    too_long = [f"{path.relative_to(ROOT)}:{function.lineno} {function.name} "
                f"({function.end_lineno - function.lineno + 1} lines)"
                for path in sorted(ROOT.glob("rpp/**/*.py"))
                for function in functions(ast.parse(path.read_text(encoding="utf-8")))
                if function.end_lineno - function.lineno + 1 > LONGEST_FUNCTION]
    assert not too_long, too_long
