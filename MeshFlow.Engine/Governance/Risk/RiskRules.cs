namespace MeshFlow.Governance.Risk;

/// <summary>Assigns a <see cref="RiskTier"/> to each tool call and model call of a run.</summary>
/// <remarks>
/// <para>
/// The base tier of a tool call is the policy's override for the tool (<c>policy_override</c>), else the tool's
/// declaration (<c>declared</c>, see <see cref="ToolRisk"/>), else <see cref="RiskTier.High"/>
/// (<c>undeclared_tool</c>). The argument rules below can only raise it: the highest tier wins, a rule names itself
/// only when it raised the tier above the base, and at equal tiers the rule listed first wins. An override can lower
/// a declaration, but no override lowers what an argument rule found.
/// </para>
/// <para>
/// Arguments are strings, numbers, <see cref="System.Text.Json.JsonElement"/> values, <see cref="Uri"/>s, dictionaries
/// and lists, walked down to <see cref="MaxDepth"/> levels and <see cref="MaxValues"/> values. Nested values are judged
/// under the name of the property that holds them, and reported under the top-level argument that contains them.
/// Name tests split names into words (<c>targetFile</c>, <c>file_path</c>), and all text tests ignore case unless the
/// format fixes it.
/// </para>
/// <list type="table">
/// <listheader><term>Rule (tier)</term><description>Raises the tier when</description></listheader>
/// <item><term><c>shell_destructive</c> (critical)</term><description>
/// Any string argument holds a command that deletes or destroys: <c>rm</c> with recursive and force flags, or
/// <c>rm -r</c> of <c>/</c>, <c>~</c>, <c>*</c> or <c>$HOME</c>, or <c>--no-preserve-root</c>; <c>mkfs</c>;
/// <c>dd ... of=/dev/</c>; <c>shred</c> of a file; the fork bomb <c>:(){</c>; <c>DROP TABLE|DATABASE|SCHEMA</c>;
/// <c>TRUNCATE TABLE</c> or <c>TRUNCATE name;</c>; <c>format c:</c>; <c>del|erase|rd|rmdir ... /s</c>;
/// <c>Remove-Item ... -Recurse</c>. Any argument counts, because a tool's name does not tell what it runs.
/// <c>rm file.txt</c> and <c>rm -r build/</c> do not.
/// </description></item>
/// <item><term><c>credentials_in_arguments</c> (critical, or high)</term><description>
/// An argument carries a credential: a <c>-----BEGIN ... PRIVATE KEY-----</c> block, an <c>AKIA</c>/<c>ASIA</c> AWS
/// key, an <c>sk-</c> API key, a <c>ghp_</c>/<c>gho_</c>/<c>github_pat_</c> or <c>xox?-</c> token, a bearer token or
/// basic <c>Authorization</c>, a <c>password=</c>/<c>secret=</c>/<c>token=</c>/<c>api_key=</c> assignment, or any value
/// under a secret's name (<c>password</c>, <c>api_key</c>, <c>clientSecret</c>...). References such as <c>$TOKEN</c>,
/// <c>&lt;password&gt;</c> or <c>***</c> are not credentials. Critical when the call also sends data out (a URL or host
/// argument, or a tool name with a word like send, post, email, mail, upload, http, fetch or webhook), else high.
/// </description></item>
/// <item><term><c>write_outside_scratch</c> (high)</term><description>
/// The tool writes (a name with a word beginning write, save, delete, move, copy, append, rename, remove, overwrite or
/// put, or an argument <c>mode</c> of <c>write</c>, <c>w</c>, <c>a</c>, <c>append</c>...) and a path argument (named
/// path, file, dest, target, output, dir, folder..., or any value that is an absolute path) resolves outside
/// <see cref="RiskRuleOptions.ScratchFolder"/>. Relative paths start at the scratch folder and <c>..</c> is resolved;
/// with no scratch folder every path is outside. Shell commands are judged by <c>shell_destructive</c> only.
/// </description></item>
/// <item><term><c>host_not_allowed</c> (high)</term><description>
/// An argument is an absolute URL, or a host-named argument (url, host, endpoint, domain...) holds a host, or a
/// command-named argument (command, cmd, script...) contains a URL, whose host is not in
/// <see cref="RiskRuleOptions.AllowedHosts"/> nor a subdomain of one (<c>evil-example.com</c> is not under
/// <c>example.com</c>; in <c>https://example.com@evil.com</c> the host is <c>evil.com</c>).
/// </description></item>
/// <item><term><c>money_in_arguments</c> (high)</term><description>
/// A string holds an amount of money (<c>$1,200.00</c>, <c>€20</c>, <c>USD 500</c>, <c>500 EUR</c>,
/// <c>20 dollars</c>; not in command-named arguments, where <c>$1</c> is a parameter), or an argument named amount,
/// price, payment, transfer, cost, fee, total or charge holds a number.
/// </description></item>
/// <item><term><c>arguments_unscanned</c> (high)</term><description>
/// The arguments nest deeper than <see cref="MaxDepth"/> or hold more than <see cref="MaxValues"/> values, or hold an
/// object the rules cannot read: what they did not read is not trusted.
/// </description></item>
/// </list>
/// <para>
/// Model calls carry no arguments to judge: <see cref="AssessModelCall"/> returns the agent's declared tier as
/// <c>model_call</c>. Every method is thread-safe. A call allocates little: the enumerators of the
/// argument collections, JSON strings that hold escapes, and the detail of a raised assessment; each pattern runs only
/// on values that hold one of its hint strings, found by vectorized search.
/// </para>
/// </remarks>
public static class RiskRules
{
    /// <summary>The deepest nesting of arguments the rules read.</summary>
    public const int MaxDepth = ArgumentScan.MaxDepth;

    /// <summary>The most argument values (leaves and containers) the rules read in one call.</summary>
    public const int MaxValues = ArgumentScan.MaxValues;

    /// <summary>The tier of one tool call.</summary>
    /// <param name="toolName">The tool's name, as the model called it.</param>
    /// <param name="declared">The tool's declaration (<see cref="ToolRisk.DeclaredBy"/>), or null.</param>
    /// <param name="policyOverrides">The policy's tiers by tool name; they replace a tool's declaration.</param>
    /// <param name="arguments">The call's arguments (an <c>AIFunctionArguments</c> or any dictionary).</param>
    /// <param name="options">The scratch folder and allowed hosts the argument rules compare against.</param>
    public static RiskAssessment AssessTool(
        string toolName,
        RiskTier? declared,
        IReadOnlyDictionary<string, RiskTier> policyOverrides,
        IEnumerable<KeyValuePair<string, object?>> arguments,
        RiskRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(toolName);
        ArgumentNullException.ThrowIfNull(policyOverrides);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(options);

        var assessment = policyOverrides.TryGetValue(toolName, out var overridden)
            ? new RiskAssessment(overridden, RiskRuleIds.PolicyOverride, "the policy sets this tool's tier")
            : declared is { } tier
                ? new RiskAssessment(tier, RiskRuleIds.Declared, "the tool declares this tier")
                : new RiskAssessment(RiskTier.High, RiskRuleIds.UndeclaredTool, "the tool declares no risk tier");

        if (assessment.Tier == RiskTier.Critical)
        {
            // Nothing can raise it further; the arguments need not be read.
            return assessment;
        }

        var scan = new ArgumentScan(options);
        foreach (var (name, value) in arguments)
        {
            scan.Visit(value, name, name, depth: 0);
        }

        // In order of precedence: the first rule at the highest tier names the assessment.
        var sends = scan.HasUrl || ArgumentNames.SendsByName(toolName);
        if (scan.Destructive is { } destructive)
        {
            return new(RiskTier.Critical, RiskRuleIds.ShellDestructive,
                $"argument '{destructive}' holds a command that deletes or destroys");
        }

        if (scan.Credential is { } credential && sends)
        {
            return new(RiskTier.Critical, RiskRuleIds.CredentialsInArguments,
                $"argument '{credential}' carries {scan.CredentialKind} and the call sends data out");
        }

        if (assessment.Tier == RiskTier.High)
        {
            return assessment;
        }

        var writes = scan.WriteMode || ArgumentNames.WritesByName(toolName);
        return scan.Credential is { } kept
                ? High(RiskRuleIds.CredentialsInArguments, $"argument '{kept}' carries {scan.CredentialKind}")
            : writes && scan.PathOutside is { } path
                ? High(RiskRuleIds.WriteOutsideScratch, $"argument '{path}' writes outside the scratch folder")
            : scan.HostOutside is { } host
                ? High(RiskRuleIds.HostNotAllowed, $"argument '{host}' names a host that is not on the allow list")
            : scan.Money is { } money
                ? High(RiskRuleIds.MoneyInArguments, $"argument '{money}' carries an amount of money")
            : scan.Unscanned is { } unscanned
                ? High(RiskRuleIds.ArgumentsUnscanned, $"argument '{unscanned}' is too deep, too large or opaque to check")
            : assessment;
    }

    /// <summary>The tier of a model call: the tier its agent declares, as <c>model_call</c>.</summary>
    public static RiskAssessment AssessModelCall(RiskTier declared) =>
        new(declared, RiskRuleIds.ModelCall, "a model call at its agent's declared tier");

    private static RiskAssessment High(string rule, string detail) => new(RiskTier.High, rule, detail);
}
