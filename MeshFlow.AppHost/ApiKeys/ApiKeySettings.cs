using MeshFlow.AppHost.Infrastructure;

namespace MeshFlow.AppHost.ApiKeys;

/// <summary>What the api is given as <c>MESHFLOW_API_KEYS</c>, and what the AppHost says about it.</summary>
/// <param name="Parameter">The secret parameter handed to the api; null in publish mode, where the AppHost hands out no key.</param>
/// <param name="DevelopmentKey">The generated development key and its file; null when the user set <c>MESHFLOW_API_KEYS</c> (or publishing).</param>
public sealed record ApiKeySettings(IResourceBuilder<ParameterResource>? Parameter, LocalSecret? DevelopmentKey);
