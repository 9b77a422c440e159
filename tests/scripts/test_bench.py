"""The pure pieces of scripts/bench.py: percentiles, capacity steps, the SMS sink's
reading of the texts the stack sends, the bench lines, the /proc memory figure, the
--pids of the command line."""

from __future__ import annotations

import math

import pytest

from bot.porting_service import CHANGE_SMS
from bot.rio import is_valid_rio
from bot.seed import load_fixture
from bot.sms import to_gsm7
from bot.verification import CODE_SMS
from scripts.bench import fixture
from scripts.bench.action_metrics import action_seconds, action_time_spent
from scripts.bench.capacity import StepResult, capacity, next_step, saturated
from scripts.bench.command_line import parse_args
from scripts.bench.customer import LinePool, spaced
from scripts.bench.sink import extract_code, national_number, sms_kind
from scripts.bench.stack import vm_hwm_kib
from scripts.bench.stats import Sample, by_kind, percentile, summarize, throughput

# --- percentiles ---------------------------------------------------------------


def test_percentile_interpolates_between_closest_ranks():
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 50) == 25.0  # halfway between 20 and 30
    assert percentile(values, 95) == pytest.approx(38.5)  # rank 2.85


def test_percentile_ignores_order_and_matches_numpy_on_1_to_100():
    values = [float(v) for v in range(100, 0, -1)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 99) == pytest.approx(99.01)


def test_percentile_of_one_value_and_of_none():
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def _sample(kind: str, ms: float, ok: bool = True, start: float = 0.0) -> Sample:
    return Sample("load", 20, kind, "x", start, start + ms / 1000, ok)


def test_summaries_split_custom_actions_from_the_floor_and_skip_failures():
    samples = [_sample("custom", 100), _sample("custom", 300), _sample("floor", 20)]
    samples.append(_sample("custom", 9000, ok=False))
    groups = by_kind(samples)
    assert groups["overall"]["count"] == 3
    assert groups["custom"]["p50_ms"] == 200.0
    assert groups["floor"]["p99_ms"] == 20.0
    assert summarize([])["p95_ms"] is None


def test_throughput_counts_answered_messages_per_second():
    samples = [_sample("floor", 10, start=i) for i in range(10)]
    samples.append(_sample("floor", 10, ok=False))
    assert throughput(samples, 5.0) == 2.0
    assert throughput(samples, 0) == 0.0


# --- capacity steps -----------------------------------------------------------


def _step(customers: int, p95: float | None) -> StepResult:
    return StepResult(customers, None if p95 is None else p95 / 2, p95, customers, 0)


def test_the_ramp_doubles_until_p95_passes_the_limit():
    assert next_step([], limit_ms=1000, max_customers=64) == 1
    done = [_step(1, 90), _step(2, 150), _step(4, 400)]
    assert next_step(done, limit_ms=1000, max_customers=64) == 8
    done.append(_step(8, 1200))
    assert next_step(done, limit_ms=1000, max_customers=64) is None
    assert capacity(done, limit_ms=1000) == _step(4, 400)
    assert saturated(done, limit_ms=1000)


def test_the_ramp_stops_at_the_most_customers_without_saturating():
    done = [_step(1, 90), _step(2, 100), _step(4, 150)]
    assert next_step(done, limit_ms=1000, max_customers=4) is None
    assert capacity(done, limit_ms=1000) == _step(4, 150)
    assert not saturated(done, limit_ms=1000)


def test_a_step_without_answers_ends_the_ramp_and_no_step_gives_no_capacity():
    assert next_step([_step(1, None)], limit_ms=1000, max_customers=64) is None
    assert capacity([_step(1, 1500), _step(2, 800)], limit_ms=1000) is None
    # A step back under the limit after one above it does not count.
    assert capacity([_step(1, 200), _step(2, 1500), _step(4, 800)], limit_ms=1000) == (
        _step(1, 200)
    )
    with pytest.raises(ValueError):
        next_step([], limit_ms=1000, max_customers=8, factor=1)


# --- the SMS sink ---------------------------------------------------------------


def test_the_code_is_read_from_the_verification_sms_as_the_stack_sends_it():
    text = to_gsm7(
        CODE_SMS.format(operator_name="Auchan Télécom", code="048213", minutes=10)
    )
    assert extract_code(text) == "048213"  # leading zero kept
    assert sms_kind(text) == "code"


def test_a_confirmation_has_no_code_even_with_digits_in_it():
    text = to_gsm7(
        CHANGE_SMS.format(
            operator="Opérateur 123456",
            number="07 90 00 00 12",
            date="samedi 19 décembre 2026",
            slot="le matin",
        )
    )
    assert extract_code(text) is None
    assert sms_kind(text) == "change_sms"
    assert sms_kind("Bonjour, ceci n'est pas un SMS de l'assistant") == "other"


def test_numbers_come_back_national():
    assert national_number("+33790000012") == "0790000012"
    assert national_number("0033 7 90 00 00 12") == "0790000012"
    assert national_number("0790000012") == "0790000012"


# --- bench lines, customers, memory --------------------------------------------------


def test_the_bench_lines_are_valid_fixture_data(tmp_path):
    path = fixture.write_fixture(tmp_path / "bench.yml", 3)
    data = load_fixture(path)  # what `python -m bot seed --file` checks
    lines = [line.msisdn for c in data.customers for line in c.lines]
    assert lines == ["0790000000", "0790000001", "0790000002"]
    porting = data.customers[2].orders[0].porting
    assert porting is not None and is_valid_rio(porting.rio, "0790000002")


def test_each_line_is_handed_out_once():
    pool = LinePool(["0790000000", "0790000001"])
    assert [pool.take(), pool.take(), pool.take()] == ["0790000000", "0790000001", None]
    assert pool.used == 2
    assert spaced("0790000012") == "07 90 00 00 12"


def test_peak_memory_is_read_from_proc_status():
    status = (
        "Name:\trasa\nVmPeak:\t 2000000 kB\nVmHWM:\t  691668 kB\nVmRSS:\t 689308 kB\n"
    )
    assert vm_hwm_kib(status) == 691668
    assert vm_hwm_kib("Name:\tkthreadd\n") is None


def test_time_per_action_comes_from_the_action_servers_histograms():
    before = action_seconds(
        "# HELP assistant_action_seconds Time to run a custom action\n"
        'assistant_action_seconds_bucket{action="action_goodbye",le="0.005"} 1.0\n'
        'assistant_action_seconds_count{action="action_goodbye"} 2.0\n'
        'assistant_action_seconds_sum{action="action_goodbye"} 0.01\n'
    )
    after = action_seconds(
        'assistant_action_seconds_count{action="action_goodbye"} 6.0\n'
        'assistant_action_seconds_sum{action="action_goodbye"} 0.09\n'
        'assistant_action_seconds_count{action="validate_porting_form"} 3.0\n'
        'assistant_action_seconds_sum{action="validate_porting_form"} 0.3\n'
        'assistant_actions_total{action="action_goodbye",outcome="ok"} 6.0\n'
    )
    assert before == {"action_goodbye": (2.0, 0.01)}
    spent = action_time_spent(before, after)
    assert list(spent) == ["validate_porting_form", "action_goodbye"]  # most time first
    assert spent["action_goodbye"] == {"calls": 4, "mean_ms": 20.0, "total_s": 0.08}
    assert spent["validate_porting_form"]["mean_ms"] == 100.0


# --- the command line ---------------------------------------------------------

EXTERNAL = ["--url", "http://127.0.0.1:8301", "--database-url", "postgresql://x/bot"]
EXTERNAL += ["--sink-port", "8390", "--sms-token", "t"]


def test_server_pids_are_named_or_labelled_by_their_number():
    args = parse_args([*EXTERNAL, "--pids", "rasa-1=16972", "4101"], "Bench.\n\nMore.")
    assert dict(args.pids) == {"rasa-1": 16972, "pid 4101": 4101}
    assert parse_args(EXTERNAL, "Bench.\n\nMore.").pids == []


@pytest.mark.parametrize("given", ["rasa-1", "rasa-1=", "=4101", "rasa-1=x"])
def test_a_pid_that_is_no_number_is_refused(given, capsys):
    with pytest.raises(SystemExit):
        parse_args([*EXTERNAL, "--pids", given], "Bench.\n\nMore.")
    assert "expected PID or NAME=PID" in capsys.readouterr().err
