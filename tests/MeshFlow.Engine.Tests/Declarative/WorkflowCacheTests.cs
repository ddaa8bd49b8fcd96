using MeshFlow.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowCacheTests
{
    private const string Invalid = """
        name: broken
        nodes:
          - id: a
            kind: agent
        edges:
          - from: a
            to: nowhere
        """;

    private static string Named(string name) => WorkflowYamlLoadTests.ArchitectureExample.Replace("name: review", "name: " + name, StringComparison.Ordinal);

    [Fact]
    public void A_valid_definition_is_read_once_and_then_answered_with_the_same_workflow()
    {
        var cache = new WorkflowCache();

        var first = cache.Validate(WorkflowYamlLoadTests.ArchitectureExample);
        var second = cache.Validate(WorkflowYamlLoadTests.ArchitectureExample);

        Assert.True(first.IsValid);
        Assert.Same(first.Workflow, second.Workflow);
        Assert.Same(first.Workflow, cache.Load(WorkflowYamlLoadTests.ArchitectureExample));
        Assert.Equal(1, cache.Count);
        Assert.Equal(WorkflowYaml.Load(WorkflowYamlLoadTests.ArchitectureExample).Digest, first.Workflow!.Digest);
    }

    [Fact]
    public void An_invalid_definition_answers_its_problems_every_time_and_is_not_kept()
    {
        var cache = new WorkflowCache();

        var first = cache.Validate(Invalid);
        var second = cache.Validate(Invalid);

        Assert.False(first.IsValid);
        Assert.Equal(WorkflowYaml.Validate(Invalid).Errors, first.Errors);
        Assert.Equal(first.Errors, second.Errors);
        Assert.Equal(0, cache.Count);
        var thrown = Assert.Throws<WorkflowValidationException>(() => cache.Load(Invalid));
        Assert.Equal(first.Errors, thrown.Errors);
    }

    [Fact]
    public void A_full_cache_empties_instead_of_growing_past_its_capacity()
    {
        var cache = new WorkflowCache(capacity: 3);
        for (var i = 0; i < 3; i++)
        {
            cache.Validate(Named("w" + i));
        }

        Assert.Equal(3, cache.Count);

        var fourth = cache.Validate(Named("w3"));

        Assert.Equal("w3", fourth.Workflow!.Name);
        Assert.Equal(1, cache.Count);
        Assert.Equal("w0", cache.Validate(Named("w0")).Workflow!.Name);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void A_definition_longer_than_the_limit_is_validated_but_not_kept()
    {
        var cache = new WorkflowCache();
        var padded = WorkflowYamlLoadTests.ArchitectureExample + "\n#" + new string('x', WorkflowCache.MaxDefinitionLength);

        var first = cache.Validate(padded);
        var second = cache.Validate(padded);

        Assert.True(first.IsValid);
        Assert.NotSame(first.Workflow, second.Workflow);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_capacity_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkflowCache(capacity: 0));
    }
}
