using System.Text;
using MeshFlow.Governance;
using MeshFlow.Governance.Guardian;
using MeshFlow.Privacy;

namespace MeshFlow.Steps;

/// <summary>
/// An agent's output on its way out while it streams: held back only until a boundary no identifier, secret or link
/// crosses (the end of a line, or of a sentence), then cleaned a segment at a time. With the guardian on, secrets and
/// exfiltration links are stripped from the output itself (what later nodes are given, <see cref="Used"/>); with
/// <c>scrub_phi</c>, what leaves the step (<see cref="Published"/>: the deltas, <c>step_end</c>, the ledger) is also
/// scrubbed. The published deltas add up exactly to <see cref="Published"/>.
/// </summary>
internal sealed class StepOutputFilter
{
    // A segment never waits for more than this much text: past it, the output is cut at its last whitespace.
    private const int MaxHeld = 4_096;

    // A word this short before a full stop is taken for an abbreviation (Dr. Jan. St.), not a sentence's end.
    private const int MinSentenceWord = 4;

    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _used = new();
    private readonly StringBuilder _published = new();
    private readonly LeakScanner? _leaks;
    private readonly string _leakAction;
    private readonly bool _scrub;
    private readonly StepCheckContext _check;

    private StepOutputFilter(LeakScanner? leaks, string leakAction, bool scrub, StepCheckContext check)
    {
        _leaks = leaks;
        _leakAction = leakAction;
        _scrub = scrub;
        _check = check;
    }

    /// <summary>The step's filter, or null when its output goes out as it is.</summary>
    public static StepOutputFilter? For(StepCheckContext check)
    {
        var policy = check.Policy;
        var guardian = policy.Guardian.Enabled;
        return guardian || policy.ScrubPhi
            ? new StepOutputFilter(guardian ? check.Audit.Leaks : null,
                policy.Guardian.OnLeak == LeakAction.Block ? GuardianFinding.Blocked : GuardianFinding.Stripped, policy.ScrubPhi, check)
            : null;
    }

    /// <summary>The output as the run uses it: secrets and exfiltration links stripped when the guardian is on.</summary>
    public string Used => _used.ToString();

    /// <summary>The output as it leaves the step: <see cref="Used"/>, scrubbed of PHI when the policy says so.</summary>
    public string Published => _published.ToString();

    /// <summary>Takes a delta; the text that may be published now (empty while it is held back).</summary>
    public string Push(string delta)
    {
        _pending.Append(delta);
        var cut = Boundary();
        if (cut <= 0)
        {
            return string.Empty;
        }

        var segment = _pending.ToString(0, cut);
        _pending.Remove(0, cut);
        return Release(segment);
    }

    /// <summary>The rest of the output, once the model is done.</summary>
    public string Flush()
    {
        if (_pending.Length == 0)
        {
            return string.Empty;
        }

        var segment = _pending.ToString();
        _pending.Clear();
        return Release(segment);
    }

    private string Release(string segment)
    {
        var used = segment;
        if (_leaks is not null)
        {
            used = _leaks.Strip(segment, out var matches);
            var offset = _used.Length;
            foreach (var match in matches)
            {
                _check.RecordGuardian(new GuardianFinding(match.Label, GuardianSources.Output, _leakAction) { Offset = offset + match.Start });
            }
        }

        _used.Append(used);
        var published = _scrub ? PhiScrubber.Scrub(used) : used;
        _published.Append(published);
        return published;
    }

    // Where the held text may be cut: after its last line break or sentence end, never inside a PEM block that has not
    // ended; 0 when it must wait for more.
    private int Boundary()
    {
        var text = _pending;
        var limit = text.Length;
        var pem = LastIndexOf(text, "-----BEGIN ");
        if (pem >= 0 && LastIndexOf(text, "-----END ") < pem)
        {
            limit = pem;
        }

        for (var i = limit - 1; i > 0; i--)
        {
            if (text[i] == '\n' || (char.IsWhiteSpace(text[i]) && text[i - 1] is '.' or '!' or '?' && EndsSentence(text, i - 1)))
            {
                return i + 1;
            }
        }

        if (limit > MaxHeld)
        {
            for (var i = limit - 1; i > 0; i--)
            {
                if (char.IsWhiteSpace(text[i]))
                {
                    return i + 1;
                }
            }

            return limit;
        }

        return 0;
    }

    private static bool EndsSentence(StringBuilder text, int stop)
    {
        var letters = 0;
        for (var i = stop - 1; i >= 0 && !char.IsWhiteSpace(text[i]); i--)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                // A dotted abbreviation or number (e.g. U.S. or 3.5) is not a sentence's end.
                return false;
            }

            letters++;
        }

        return letters >= MinSentenceWord;
    }

    private static int LastIndexOf(StringBuilder text, string value)
    {
        for (var i = text.Length - value.Length; i >= 0; i--)
        {
            var match = true;
            for (var j = 0; j < value.Length && match; j++)
            {
                match = text[i + j] == value[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
