from sab.markdown import render_markdown


def test_markdown_renders_lists_and_emphasis():
    html = render_markdown("- **Green:** on track\n- *Amber*")
    assert "<ul>" in html and "<strong>Green:</strong>" in html and "<em>Amber</em>" in html


def test_markdown_drops_scripts_styles_and_javascript_links():
    html = render_markdown(
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
        ' <span style="color:red">hi</span>'
    )
    assert "<script" not in html and "onerror" not in html
    assert "javascript:" not in html and "style=" not in html and "<img" not in html


def test_links_keep_http_and_get_noopener():
    html = render_markdown("[report](https://example.org/report.pdf)")
    assert 'href="https://example.org/report.pdf"' in html
    assert 'rel="noopener noreferrer"' in html
