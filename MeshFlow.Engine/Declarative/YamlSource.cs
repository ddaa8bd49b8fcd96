using System.Text.RegularExpressions;
using MeshFlow.Workflows;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>Parses definition text into YamlDotNet's representation model, turning syntax problems into errors.</summary>
internal static partial class YamlSource
{
    /// <summary>
    /// The document's root node, or null when the text is not valid YAML or holds no document (the problem is
    /// added to <paramref name="errors"/>).
    /// </summary>
    public static YamlNode? Parse(string text, List<WorkflowValidationError> errors)
    {
        var parser = new TrackingParser(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlNestingException nesting) when (nesting.Alias is { } alias)
        {
            errors.Add(new(WorkflowErrorCodes.Syntax,
                $"invalid YAML: nesting deeper than {WorkflowYaml.MaxNestingDepth} levels: the alias '*{alias}' here stands for " +
                $"its anchor's value, which would reach past level {WorkflowYaml.MaxNestingDepth} (or contain the alias itself); " +
                "no workflow needs that many, so the rest is not read", null, At(nesting.Start)));
            return null;
        }
        catch (YamlExpansionException expansion)
        {
            var where = expansion.Alias is { } alias ? $"the alias '*{alias}' here" : "the value here";
            errors.Add(new(WorkflowErrorCodes.Syntax,
                $"invalid YAML: aliases expand the document past {TrackingParser.MaxExpandedValues} values ({where} crosses " +
                "the bound); each alias copies its anchor's value, so aliases of aliases multiply it: write the value out or use fewer levels",
                null, At(expansion.Start)));
            return null;
        }
        catch (YamlNestingException nesting)
        {
            errors.Add(new(WorkflowErrorCodes.Syntax,
                $"invalid YAML: nesting deeper than {WorkflowYaml.MaxNestingDepth} levels (a list or mapping opens level " +
                $"{WorkflowYaml.MaxNestingDepth + 1} here); no workflow needs that many, so the rest is not read", null,
                At(nesting.Start)));
            return null;
        }
        catch (AnchorNotFoundException) when (parser.UnknownAlias is { } alias)
        {
            errors.Add(new(WorkflowErrorCodes.Syntax,
                $"invalid YAML: the alias '*{alias.Name}' refers to no anchor '&{alias.Name}' defined before it", null,
                At(alias.Start)));
            return null;
        }
        catch (YamlException exception)
        {
            errors.Add(new(WorkflowErrorCodes.Syntax, Describe(exception.Message), null, Where(exception, parser)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way, without a position, on a flow collection left open across lines.
            var message = parser.OpenFlowCollection is { } open
                ? $"invalid YAML: the '{open.Bracket}' opened at {At(open.Start)} is not closed " +
                  $"(expected '{Closing(open.Bracket)}' before this point)"
                : "invalid YAML: the text cannot be parsed from this point";
            errors.Add(new(WorkflowErrorCodes.Syntax, message, null, At(parser.Position)));
            return null;
        }

        var documents = stream.Documents;
        if (documents.Count == 0 || IsEmpty(documents[0].RootNode))
        {
            errors.Add(new(WorkflowErrorCodes.EmptyWorkflow,
                "the definition is empty: expected a mapping with at least 'name' and 'nodes'", null, new(1, 1)));
            return null;
        }

        for (var i = 1; i < documents.Count; i++)
        {
            errors.Add(new(WorkflowErrorCodes.Syntax,
                "a definition holds a single YAML document, but another one starts here (remove the '---' separator " +
                "or split the file)", null, At(documents[i].RootNode.Start)));
        }

        return documents[0].RootNode;
    }

    /// <summary>A YamlDotNet mark as a 1-based source location.</summary>
    public static SourceLocation At(Mark mark) =>
        new((int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue));

    // A few YamlDotNet errors (a tab used as indentation, say) come without a position (line 1, column 1,
    // index 0): where the scanner stopped is the better answer.
    private static SourceLocation Where(YamlException exception, TrackingParser parser) =>
        exception.Start.Index > 0 || exception.End.Index > 0 ? At(exception.Start) : At(parser.Position);

    private static bool IsEmpty(YamlNode node) => node is YamlScalarNode scalar && Scalars.IsNull(scalar);

    private static char Closing(char bracket) => bracket == '[' ? ']' : '}';

    private static string Describe(string message)
    {
        message = MarkPrefix().Replace(message, string.Empty).Trim();
        if (message.Length == 0)
        {
            message = "the text is not valid YAML";
        }

        if (DuplicateKey().Match(message) is { Success: true } duplicate)
        {
            return $"invalid YAML: the field '{duplicate.Groups[1].Value}' appears twice in the same mapping";
        }

        var hint = message switch
        {
            _ when message.Contains("quoted scalar", StringComparison.OrdinalIgnoreCase) &&
                   message.Contains("end of stream", StringComparison.OrdinalIgnoreCase) =>
                " (a quoted string is not closed)",
            _ when message.Contains("indentation", StringComparison.OrdinalIgnoreCase) ||
                   message.Contains("did not find expected '-' indicator", StringComparison.OrdinalIgnoreCase) ||
                   message.Contains("did not find expected key", StringComparison.OrdinalIgnoreCase) ||
                   message.Contains("invalid mapping", StringComparison.OrdinalIgnoreCase) =>
                " (check the indentation: fields of the same mapping must line up, and 'key: value' needs a space " +
                "after the colon)",
            _ when message.Contains("flow sequence", StringComparison.OrdinalIgnoreCase) =>
                " (check the list's commas and closing ']')",
            _ when message.Contains("flow mapping", StringComparison.OrdinalIgnoreCase) =>
                " (check the object's commas and closing '}')",
            _ => string.Empty,
        };
        return $"invalid YAML: {message}{hint}";
    }

    // YamlDotNet messages may start with "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): ".
    [GeneratedRegex(@"^\s*\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):?\s*")]
    private static partial Regex MarkPrefix();

    [GeneratedRegex("^Duplicate key (.+)$")]
    private static partial Regex DuplicateKey();
}
