from django import template

from sab.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render a narrative (Markdown) field as sanitised HTML."""
    return render_markdown(text)
