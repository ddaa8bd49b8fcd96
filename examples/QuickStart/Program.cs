using MeshFlow.Examples;

// dotnet run --project examples/QuickStart [-- path/to/workflow.yaml "input" | -- governed | -- guarded | -- rag]
if (args is ["governed"])
{
    await QuickStartExample.RunGovernedAsync(Console.Out);
    return 0;
}

if (args is ["rag"])
{
    var rag = await RagExample.RunAsync(Console.Out);
    return rag.Status == MeshFlow.Runs.RunStatus.Completed ? 0 : 1;
}

if (args is ["guarded"])
{
    await GuardedExample.RunAsync(Console.Out);
    return 0;
}

if (args.Length >= 1)
{
    var result = await QuickStartExample.RunFromYamlAsync(args[0], args.Length > 1 ? args[1] : "Hello", Console.Out);
    return result.Status == MeshFlow.Runs.RunStatus.Completed ? 0 : 1;
}

await QuickStartExample.RunFromCSharpAsync(Console.Out);
return 0;
