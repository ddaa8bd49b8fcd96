using System.Text;

namespace MeshFlow.Workflows;

/// <summary>What a node sees when it runs: the run's input, the outputs it depends on, and the run's state.</summary>
public sealed class NodeContext
{
    internal NodeContext(string runId, string nodeId, string stepId, int iteration, string input,
        IReadOnlyList<NodeInput> inputs, NodeInput? feedback, WorkflowState state)
    {
        RunId = runId;
        NodeId = nodeId;
        StepId = stepId;
        Iteration = iteration;
        Input = input;
        Inputs = inputs;
        Feedback = feedback;
        State = state;
    }

    /// <summary>The run.</summary>
    public string RunId { get; }

    /// <summary>This node.</summary>
    public string NodeId { get; }

    /// <summary>This step (<c>node:iteration</c>).</summary>
    public string StepId { get; }

    /// <summary>How many times this node has run in this run, this time included (1-based).</summary>
    public int Iteration { get; }

    /// <summary>The run's input.</summary>
    public string Input { get; }

    /// <summary>The outputs of the nodes this one depends on, in edge declaration order.</summary>
    public IReadOnlyList<NodeInput> Inputs { get; }

    /// <summary>On a pass after the first, the output of the loop edge's source that sent the run back here.</summary>
    public NodeInput? Feedback { get; }

    /// <summary>The run's typed state.</summary>
    public WorkflowState State { get; }

    /// <summary>
    /// The node's task as one text: the run's input when it depends on nothing, the single input's output when it
    /// depends on one node, or every input labelled with its node, in order.
    /// </summary>
    public string InputText => Merge(Input, Inputs);

    internal static string Merge(string runInput, IReadOnlyList<NodeInput> inputs)
    {
        switch (inputs.Count)
        {
            case 0:
                return runInput;
            case 1:
                return inputs[0].Output;
            default:
                var builder = new StringBuilder();
                foreach (var input in inputs)
                {
                    if (builder.Length > 0)
                    {
                        builder.Append("\n\n");
                    }

                    builder.Append("## ").Append(input.NodeId).Append('\n').Append(input.Output);
                }

                return builder.ToString();
        }
    }
}
