"""One contender of benches/arrow-spark.sh; prints one JSON line of timings (seconds).

    run.py arrow  HISTORY        # read into a pyarrow Table (CSV reader, one field per line), then validate_arrow
    run.py stream HISTORY        # pyarrow's streaming CSV reader straight into validate_arrow (peak memory)
    run.py spark  HISTORY        # SparkSession local[2] (JVM start-up), then escalint.spark.validate into a noop sink
"""

import json
import os
import sys
import time

NOW = "2026-11-25T12:00:00-05:00"


def read_options():
    import pyarrow as pa
    import pyarrow.csv as csv

    return dict(
        read_options=csv.ReadOptions(column_names=["case"], block_size=64 << 20),
        parse_options=csv.ParseOptions(
            delimiter="\x1f", quote_char=False, escape_char=False, double_quote=False, ignore_empty_lines=False
        ),
        convert_options=csv.ConvertOptions(column_types={"case": pa.binary()}),
    )


def main():
    mode, history = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    import escalint

    if mode == "arrow":
        import pyarrow.csv as csv

        table = csv.read_csv(history, **read_options())
        t1 = time.perf_counter()
        reports = escalint.validate_arrow(table, now=NOW)
        t2 = time.perf_counter()
        out = {"read": t1 - t0, "validate": t2 - t1, "rows": reports.num_rows}
    elif mode == "stream":
        import pyarrow.csv as csv

        reports = escalint.validate_arrow(csv.open_csv(history, **read_options()), now=NOW)
        out = {"total": time.perf_counter() - t0, "rows": reports.num_rows, "answer_bytes": reports.nbytes}
    elif mode == "spark":
        os.environ["PYSPARK_PYTHON"] = sys.executable
        from pyspark.sql import SparkSession

        from escalint import spark as esc

        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        t1 = time.perf_counter()
        jobs = []
        for _ in range(2):  # the first also starts the Python workers
            start = time.perf_counter()
            esc.validate(spark.read.text(history), column="value", now=NOW).write.format("noop").mode(
                "overwrite"
            ).save()
            jobs.append(time.perf_counter() - start)
        spark.stop()
        out = {"startup": t1 - t0, "job1": jobs[0], "job2": jobs[1]}
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
