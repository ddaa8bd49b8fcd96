using Bunit;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Components.Workflows;
using MeshFlow.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Dashboard.Tests.Components;

public sealed class WorkflowEditorTests : BunitContext
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(400);

    private const string Broken = "name: broken\nnodes:\n  - id: writer\n    model: offline\nedges:\n  - from: writer\n    to: ghost\n";

    private const string Fixed = "name: fixed\nnodes:\n  - id: writer\n    model: offline\n";

    private static readonly WorkflowValidation Invalid = new(false, null, [],
        [new WorkflowProblem("unknown_node", "edge 'writer' -> 'ghost' names an unknown node 'ghost'", "edges[0].to", 7, 9)]);

    private static readonly WorkflowValidation Valid = new(true, "fixed", ["writer"], []);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 15, 0, 0, TimeSpan.Zero));
    private readonly List<string> _asked = [];
    private readonly List<EditorChange> _changes = [];

    public WorkflowEditorTests()
    {
        Services.AddSingleton<TimeProvider>(_time);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public async Task Typing_sends_one_validation_of_the_latest_text_only_after_the_pause()
    {
        var editor = RenderEditor(text => text == Fixed ? Valid : Invalid);
        _asked.Clear();

        var first = Type(editor, "name: a");
        var second = Type(editor, "name: ab");
        var third = Type(editor, Fixed);
        _time.Advance(Debounce - TimeSpan.FromMilliseconds(1));

        Assert.Empty(_asked);
        Assert.Equal("pending", editor.Find("[data-testid=yaml-editor]").GetAttribute("data-state"));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(first, second, third).WaitAsync(TestTimeouts.Default, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal([Fixed], _asked);
        editor.WaitForAssertion(() => Assert.Equal("valid", editor.Find("[data-testid=yaml-editor]").GetAttribute("data-state")));
        Assert.Equal(new EditorChange(Fixed, true), _changes[^1]);
    }

    [Fact]
    public async Task A_problem_is_marked_in_the_gutter_at_its_line_and_listed_with_line_and_column()
    {
        var editor = RenderEditor(text => text == Fixed ? Valid : Invalid);

        await TypeAndSettleAsync(editor, Broken);

        var marker = Assert.Single(editor.FindAll("[data-testid=gutter-marker]"));
        Assert.Equal("7", marker.GetAttribute("data-line"));
        Assert.Contains("unknown node 'ghost'", marker.GetAttribute("title"), StringComparison.Ordinal);
        var entry = editor.Find("[data-testid=problems] .problem-link");
        Assert.Equal("line 7, column 9: edge 'writer' -> 'ghost' names an unknown node 'ghost'", entry.TextContent);
        Assert.Equal(new EditorChange(Broken, false), _changes[^1]);

        entry.Click();
        var moved = Assert.Single(JSInterop.Invocations, i => i.Identifier == "moveCaret");
        Assert.Equal(7, moved.Arguments[1]);
        Assert.Equal(9, moved.Arguments[2]);
    }

    [Fact]
    public async Task Fixing_the_text_clears_the_marks_and_reports_it_valid()
    {
        var editor = RenderEditor(text => text == Fixed ? Valid : Invalid);
        await TypeAndSettleAsync(editor, Broken);

        await TypeAndSettleAsync(editor, Fixed);

        Assert.Empty(editor.FindAll("[data-testid=gutter-marker]"));
        Assert.Empty(editor.FindAll("[data-testid=problems]"));
        Assert.Equal("Valid.", editor.Find("[data-testid=editor-status]").TextContent);
        Assert.Equal(new EditorChange(Fixed, true), _changes[^1]);
    }

    [Fact]
    public async Task An_edit_made_while_a_check_runs_makes_the_older_answer_count_for_nothing()
    {
        // No debounce: each edit's check starts at once, so the older one is provably still running when the newer
        // edit arrives, with no clock to move.
        var slow = new TaskCompletionSource<WorkflowValidation>(TaskCreationOptions.RunContinuationsAsynchronously);
        var brokenAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var editor = Render<WorkflowEditor>(parameters => parameters
            .Add(p => p.Yaml, Fixed)
            .Add(p => p.Debounce, TimeSpan.Zero)
            .Add(p => p.OnChange, change => _changes.Add(change))
            .Add(p => p.Validate, (text, token) =>
            {
                if (text != Broken)
                {
                    return Task.FromResult(Valid);
                }

                // A validator that ignores cancellation: the editor itself must discard its late answer.
                brokenAsked.TrySetResult();
                return slow.Task;
            }));

        var broken = Type(editor, Broken);
        await brokenAsked.Task.WaitAsync(TestTimeouts.Default, Xunit.TestContext.Current.CancellationToken);
        await Type(editor, Fixed).WaitAsync(TestTimeouts.Default, Xunit.TestContext.Current.CancellationToken);
        // The older check's answer arrives after the newer one's: it must change nothing.
        slow.SetResult(Invalid);
        await broken.WaitAsync(TestTimeouts.Default, Xunit.TestContext.Current.CancellationToken);

        editor.WaitForAssertion(() => Assert.Equal("valid", editor.Find("[data-testid=yaml-editor]").GetAttribute("data-state")));
        Assert.Empty(editor.FindAll("[data-testid=gutter-marker]"));
        Assert.DoesNotContain(new EditorChange(Broken, false), _changes.Where(change => change.Text == Broken).Skip(1));
        Assert.Equal(new EditorChange(Fixed, true), _changes[^1]);
    }

    [Fact]
    public async Task A_validator_that_cannot_be_reached_leaves_the_text_not_valid_and_says_why()
    {
        var editor = RenderEditor(_ => throw new MeshFlowApiException("The MeshFlow API cannot be reached."));

        await TypeAndSettleAsync(editor, Fixed + "# edited\n");

        Assert.Equal("failed", editor.Find("[data-testid=yaml-editor]").GetAttribute("data-state"));
        Assert.Equal("Could not validate: The MeshFlow API cannot be reached.", editor.Find("[data-testid=editor-status]").TextContent);
        Assert.False(_changes[^1].Valid);
    }

    private IRenderedComponent<WorkflowEditor> RenderEditor(Func<string, WorkflowValidation> answer) =>
        Render<WorkflowEditor>(parameters => parameters
            .Add(p => p.Yaml, Fixed)
            .Add(p => p.Debounce, Debounce)
            .Add(p => p.OnChange, change => _changes.Add(change))
            .Add(p => p.Validate, (text, _) =>
            {
                _asked.Add(text);
                return Task.FromResult(answer(text));
            }));

    // The handler waits out the debounce on the fake clock, so the returned task completes only after Advance.
    private static Task Type(IRenderedComponent<WorkflowEditor> editor, string text) =>
        editor.Find("[data-testid=yaml]").InputAsync(new ChangeEventArgs { Value = text });

    private async Task TypeAndSettleAsync(IRenderedComponent<WorkflowEditor> editor, string text)
    {
        var typing = Type(editor, text);
        _time.Advance(Debounce);
        await typing.WaitAsync(TestTimeouts.Default, Xunit.TestContext.Current.CancellationToken);
    }
}
