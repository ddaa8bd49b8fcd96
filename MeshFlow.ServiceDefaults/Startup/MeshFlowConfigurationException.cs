namespace MeshFlow.ServiceDefaults.Startup;

/// <summary>
/// A setting a MeshFlow service cannot start with. The message is for the person who set it: it names the setting (and
/// where in it, e.g. <c>MESHFLOW_API_KEYS entry 2</c>) and what is allowed, and never repeats a secret.
/// </summary>
/// <remarks>
/// Thrown where settings are read. <see cref="ServiceStartup"/> turns it into one line on stderr and exit code 1; every
/// other exception keeps its stack trace, since it is not the user's to fix.
/// </remarks>
public sealed class MeshFlowConfigurationException : InvalidOperationException
{
    public MeshFlowConfigurationException()
    {
    }

    public MeshFlowConfigurationException(string message)
        : base(message)
    {
    }

    public MeshFlowConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
