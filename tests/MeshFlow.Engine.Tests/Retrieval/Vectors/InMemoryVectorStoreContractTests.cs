using MeshFlow.Retrieval.Vectors;
using MeshFlow.Tests.Retrieval.Vectors.Contract;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Tests.Retrieval.Vectors;

/// <summary>The vector store contract, run against the in-process store.</summary>
public sealed class InMemoryVectorStoreContractTests : VectorStoreContractTests
{
    protected override Task<VectorStore> CreateStoreAsync() => Task.FromResult<VectorStore>(new InMemoryVectorStore());
}
