"""One markdown table per database from bench.run's JSON files: each scenario at every size.

    python -m bench.report results/*.json
"""
import json
import pathlib
import sys


def load(paths):
    runs = [json.loads(pathlib.Path(path).read_text()) for path in paths]
    return sorted(runs, key=lambda run: (run["database"], run["accounts"]))


def report(runs):
    first = runs[0]
    machine = first["machine"]
    lines = [f"Machine: {machine['nproc']} CPUs ({machine['cpu']}), {machine['memory_gb']} GB; "
             f"Python {machine['python']}, Flask {machine['flask']}, gunicorn {machine['gunicorn']} "
             f"(-w {first['workers']}, sync), peewee {machine['peewee']}; {first['threads']} client threads, "
             f"{first['duration']:g} s per scenario after 1 s warm-up, best of {first.get('rounds', 1)} rounds.",
             f"Password hash {first['password_hash_method']}: {first['hash_check_ms']:.0f} ms per check "
             "in one process.", ""]
    for database in dict.fromkeys(run["database"] for run in runs):
        sizes = [run for run in runs if run["database"] == database]
        header = "| Scenario |" + "".join(
            f" {run['accounts']:,}: req/s | × (b) | p50 ms | p99 ms | CPU ms |" for run in sizes)
        if len(sizes) > 1:
            header += (f" CPU {sizes[-1]['accounts']:,} ÷ {sizes[0]['accounts']:,} | the same, each ÷ (b)'s |"
                       " errors | max bytes |")
        lines += [f"### {database}", "", header,
                  "|---|" + "---:|" * (5 * len(sizes) + (4 if len(sizes) > 1 else 0))]
        for key, result in sizes[0]["scenarios"].items():
            row = f"| {result['label']} |"
            for run in sizes:
                r = run["scenarios"][key]
                row += (f" {r['per_second']:.1f} | {r['ratio_to_b']:.2f} | {r['p50_ms']:.1f} | "
                        f"{r['p99_ms']:.1f} | {r['server_cpu_ms']:.2f} |")
            if len(sizes) > 1:
                last = sizes[-1]["scenarios"][key]
                errors = sum(run["scenarios"][key]["errors"] for run in sizes)
                size = max(run["scenarios"][key]["max_bytes"] for run in sizes)
                # (b) never touches the database: dividing by it cancels a busier machine in one run.
                reference = [run["scenarios"]["form"]["server_cpu_ms"] for run in (sizes[0], sizes[-1])]
                drift = reference[1] / reference[0]
                growth = last["server_cpu_ms"] / result["server_cpu_ms"]
                row += f" {growth:.2f} | {growth / drift:.2f} | {errors} | {size} |"
            lines.append(row)
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(load(sys.argv[1:])))
