// The registration table of node kinds: one line per case of `Node.kind`.
// Explicit rather than self-registering, since a static library drops
// object files that nothing references, and their registrations with them.
#include <map>

#include "ember/rdd/checkpoint_node.h"
#include "ember/rdd/coalesce_node.h"
#include "ember/rdd/node_kind.h"
#include "ember/rdd/pair_node.h"
#include "ember/rdd/parallel_node.h"
#include "ember/rdd/python_node.h"
#include "ember/rdd/sequence_file_node.h"
#include "ember/rdd/shuffled_node.h"
#include "ember/rdd/text_node.h"
#include "ember/rdd/union_node.h"
#include "ember/rdd/whole_file_node.h"

namespace ember::rdd {

namespace {

// A node whose kind is not set: it reads nothing and cannot be opened.
class NoKind : public NodeKind {
 public:
  void CopyShape(const proto::Node& node, proto::Node* out) const override {}
  Result<std::unique_ptr<FrameStream>> Open(const proto::Node& node, int p,
                                            PartitionInputs& inputs) const override {
    return Internal("node " + std::to_string(node.id()) + " has no kind");
  }
};

}  // namespace

const NodeKind& KindOf(const proto::Node& node) {
  static const std::map<proto::Node::KindCase, const NodeKind*> kinds = {
      {proto::Node::kParallel, &ParallelNodeKind()},
      {proto::Node::kText, &TextNodeKind()},
      {proto::Node::kWholeFile, &WholeFileNodeKind()},
      {proto::Node::kSequenceFile, &SequenceFileNodeKind()},
      {proto::Node::kPython, &PythonNodeKind()},
      {proto::Node::kShuffled, &ShuffledNodeKind()},
      {proto::Node::kUnionOf, &UnionNodeKind()},
      {proto::Node::kCoalesce, &CoalesceNodeKind()},
      {proto::Node::kPair, &PairNodeKind()},
      {proto::Node::kCheckpoint, &CheckpointNodeKind()},
  };
  static const NoKind no_kind;
  auto it = kinds.find(node.kind_case());
  return it == kinds.end() ? no_kind : *it->second;
}

}  // namespace ember::rdd
