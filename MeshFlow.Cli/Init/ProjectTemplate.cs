namespace MeshFlow.Cli.Init;

/// <summary>
/// A kind of project <c>meshflow init</c> makes: its files live under <c>Templates/&lt;Name&gt;/</c> in this assembly.
/// </summary>
/// <param name="Name">The name <c>--template</c> takes, and the template's folder.</param>
/// <param name="Summary">What the project's workflow does, in a few words.</param>
/// <param name="SampleInput">An input that suits the workflow, for the first run the README and the next step suggest.</param>
internal sealed record ProjectTemplate(string Name, string Summary, string SampleInput);
