using MeshFlow.Diagnostics;
using MeshFlow.Governance.Risk;
using MeshFlow.Workflows;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>Reading typed field values, reporting each wrong one at its position.</summary>
internal sealed partial class WorkflowDefinitionReader
{
    private void Error(string code, string message, string? path, YamlNode at) =>
        Error(code, message, path, YamlSource.At(at.Start));

    private void Error(string code, string message, string? path, SourceLocation at)
    {
        _errors.Add(new WorkflowValidationError(code, message, path, at));
        if (path is not null)
        {
            _reported.Add(path);
        }
    }

    private void Track(string path, YamlNode node) => _locations.TryAdd(path, YamlSource.At(node.Start));

    /// <summary>
    /// The mapping's fields, reporting non-scalar keys and fields not in <paramref name="allowed"/>; the position
    /// of every value is recorded under its path.
    /// </summary>
    private YamlFields Fields(YamlMappingNode mapping, string path, IReadOnlyList<string>? allowed, string where)
    {
        var fields = new YamlFields(mapping, path);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode name || Scalars.IsNull(name))
            {
                Error(WorkflowErrorCodes.InvalidValue,
                    $"a field name in {where} must be a plain name, but is {Scalars.Describe(key)}", null, key);
                continue;
            }

            fields.Add(name, value);
            Track(fields.PathOf(name.Value!), Scalars.IsNull(value) ? name : value);
        }

        if (allowed is not null)
        {
            CheckFields(fields, allowed, where);
        }

        return fields;
    }

    private void CheckFields(YamlFields fields, IReadOnlyList<string> allowed, string where, Func<string, string?>? elsewhere = null)
    {
        foreach (var (key, _) in fields.Entries)
        {
            var name = key.Value!;
            if (allowed.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            var list = string.Join(", ", allowed);
            var message = elsewhere?.Invoke(name) is { } owner
                ? $"field '{name}' does not apply to {where}: it belongs to {owner} (allowed: {list})"
                : $"unknown field '{name}' in {where} ({NameSuggestions.Hint(name, allowed)}allowed: {list})";
            Error(WorkflowErrorCodes.UnknownField, message, fields.PathOf(name), key);
        }
    }

    /// <summary>A scalar field's node; null when absent or null, reported when it is a list or a mapping.</summary>
    private YamlScalarNode? ReadScalar(YamlFields fields, string name, string where, string expected)
    {
        var value = fields[name];
        if (Scalars.IsNull(value))
        {
            return null;
        }

        if (value is YamlScalarNode scalar)
        {
            return scalar;
        }

        Error(WorkflowErrorCodes.InvalidValue,
            $"'{name}' of {where} must be {expected}, but is {Scalars.Describe(value!)}", fields.PathOf(name), value!);
        return null;
    }

    private string? ReadString(YamlFields fields, string name, string where, string expected = "a string") =>
        ReadScalar(fields, name, where, expected)?.Value;

    private bool? ReadBoolean(YamlFields fields, string name, string where)
    {
        const string Expected = "true or false";
        if (ReadScalar(fields, name, where, Expected) is not { } scalar)
        {
            return null;
        }

        if (Scalars.TryBoolean(scalar, out var value))
        {
            return value;
        }

        Error(WorkflowErrorCodes.InvalidValue,
            $"'{name}' of {where} must be {Expected}, but is {Scalars.Describe(scalar)}", fields.PathOf(name), scalar);
        return null;
    }

    private long? ReadInteger(YamlFields fields, string name, string where, long min, long max)
    {
        const string Expected = "a whole number";
        if (ReadScalar(fields, name, where, Expected) is not { } scalar)
        {
            return null;
        }

        if (!Scalars.TryInteger(scalar, out var value))
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'{name}' of {where} must be {Expected}, but is {Scalars.Describe(scalar)}", fields.PathOf(name), scalar);
            return null;
        }

        if (value < min || value > max)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'{name}' of {where} must be {(value < min ? $"at least {min}" : $"at most {max}")}, but is {value}",
                fields.PathOf(name), scalar);
            return null;
        }

        return value;
    }

    private double? ReadNumber(YamlFields fields, string name, string where, double min, double max)
    {
        const string Expected = "a number";
        if (ReadScalar(fields, name, where, Expected) is not { } scalar)
        {
            return null;
        }

        if (!Scalars.TryNumber(scalar, out var value))
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'{name}' of {where} must be {Expected}, but is {Scalars.Describe(scalar)}", fields.PathOf(name), scalar);
            return null;
        }

        if (value < min || value > max)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'{name}' of {where} must be between {min} and {max}, but is {scalar.Value}", fields.PathOf(name), scalar);
            return null;
        }

        return value;
    }

    private decimal? ReadDecimal(YamlFields fields, string name, string where)
    {
        const string Expected = "a number";
        if (ReadScalar(fields, name, where, Expected) is not { } scalar)
        {
            return null;
        }

        if (!Scalars.TryDecimal(scalar, out var value) || value < 0)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'{name}' of {where} must be a number of at least 0, but is {Scalars.Describe(scalar)}",
                fields.PathOf(name), scalar);
            return null;
        }

        return value;
    }

    /// <summary>
    /// A risk tier by its wire name (<c>low</c>, <c>medium</c>, <c>high</c>, <c>critical</c>); low when absent.
    /// An empty value is reported rather than read as low: a risk left blank is more likely unfinished than meant.
    /// </summary>
    private RiskTier ReadTier(YamlFields fields, string name, string where)
    {
        var tiers = string.Join(", ", RiskTiers.Names);
        var value = fields[name];
        if (value is null)
        {
            return RiskTier.Low;
        }

        if (Scalars.IsNull(value) || value is YamlScalarNode { Value: "" })
        {
            Error(WorkflowErrorCodes.InvalidValue, $"{where} has an empty '{name}' (expected one of {tiers})",
                fields.PathOf(name), Scalars.IsNull(value) ? fields.KeyOf(name)! : value);
            return RiskTier.Low;
        }

        if (ReadScalar(fields, name, where, $"one of {tiers}") is not { } scalar)
        {
            return RiskTier.Low;
        }

        var text = scalar.Value!;
        if (RiskTiers.TryParse(text, out var tier))
        {
            return tier;
        }

        Error(WorkflowErrorCodes.InvalidValue,
            $"unknown risk tier '{text}' of {where} ({NameSuggestions.Hint(text, RiskTiers.Names)}expected one of {tiers})",
            fields.PathOf(name), scalar);
        return RiskTier.Low;
    }

    /// <summary>A list of strings (names, responses...), each with its node and path; null when absent or wrong.</summary>
    private List<(string Value, YamlScalarNode Node, string Path)>? ReadNames(YamlFields fields, string name, string where, string expected)
    {
        var value = fields[name];
        if (Scalars.IsNull(value))
        {
            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            Error(WorkflowErrorCodes.InvalidValue,
                $"'{name}' of {where} must be {expected}, but is {Scalars.Describe(value!)}", fields.PathOf(name), value!);
            return null;
        }

        var names = new List<(string, YamlScalarNode, string)>();
        var valid = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var path = $"{fields.PathOf(name)}[{i}]";
            Track(path, item);
            if (item is YamlScalarNode scalar && !Scalars.IsNull(scalar))
            {
                names.Add((scalar.Value!, scalar, path));
                continue;
            }

            Error(WorkflowErrorCodes.InvalidValue,
                $"entry {i + 1} of '{name}' of {where} must be a string, but is {Scalars.Describe(item)}", path, item);
            valid = false;
        }

        return valid ? names : null;
    }
}
