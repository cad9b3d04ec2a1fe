from materials.rendering import render_markdown


def test_markdown_is_rendered():
    html = render_markdown("Read *slowly*.\n\n- one\n- two")
    assert "<em>slowly</em>" in html
    assert "<li>one</li>" in html


def test_script_and_event_handlers_are_removed():
    html = render_markdown('<script>alert(1)</script><p onclick="x()">Hi</p>')
    assert "<script" not in html
    assert "onclick" not in html


def test_only_https_links_survive_and_open_safely():
    html = render_markdown(
        "[a](javascript:alert(1)) [b](http://example.org) [c](https://example.org)"
    )
    assert "javascript:" not in html
    assert 'href="http://' not in html
    assert 'href="https://example.org"' in html
    assert "noopener" in html


def test_images_are_dropped_so_nothing_is_fetched_from_elsewhere():
    html = render_markdown("![tracker](https://tracker.example/pixel.gif)")
    assert "<img" not in html
