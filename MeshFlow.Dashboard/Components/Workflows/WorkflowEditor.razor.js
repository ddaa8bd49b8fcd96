// Moves the caret of the editor's textarea to a 1-based line and column and scrolls that line into view,
// so a problem in the list takes the reader to where it is.
export function moveCaret(textarea, line, column) {
    const lines = textarea.value.split("\n");
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) {
        offset += lines[i].length + 1;
    }
    const lineText = lines[Math.min(line, lines.length) - 1] ?? "";
    offset += Math.min(Math.max(column - 1, 0), lineText.length);
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
    const scroller = textarea.closest(".yaml-scroll");
    if (scroller) {
        const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
        scroller.scrollTop = Math.max(0, (line - 3) * lineHeight);
    }
}
