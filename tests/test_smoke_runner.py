from helpers import cli


def test_runner_separates_streams() -> None:
    r = cli("province", "Nowhere")
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "No province matches 'Nowhere'" in r.stderr
