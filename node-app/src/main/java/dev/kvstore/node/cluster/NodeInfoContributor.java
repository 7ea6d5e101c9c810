package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeRegistration;
import dev.kvstore.model.RingView;
import dev.kvstore.node.term.TermStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * {@code node} in {@code /actuator/info}: who this node is, where its data lives, the ring it last heard
 * of and the highest coordinator term it has seen.
 */
public final class NodeInfoContributor implements InfoContributor {

    private final String nodeId;
    private final Path dataDir;
    private final Registrar registrar;
    private final RingStore ring;
    private final TermStore terms;

    public NodeInfoContributor(String nodeId, Path dataDir, Registrar registrar, RingStore ring, TermStore terms) {
        this.nodeId = nodeId;
        this.dataDir = dataDir;
        this.registrar = registrar;
        this.ring = ring;
        this.terms = terms;
    }

    @Override
    public void contribute(Info.Builder builder) {
        NodeRegistration self = registrar.self();
        RingView known = ring.current();
        Map<String, Object> ringDetails = new LinkedHashMap<>();
        ringDetails.put("epoch", known == null ? 0 : known.epoch());
        List<String> members = known == null ? List.of() : known.nodes();
        ringDetails.put("size", members.size());
        ringDetails.put("nodes", members);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", nodeId);
        // Null until the server has its port; then the URL registered with the coordinator.
        node.put("url", self == null ? null : self.url());
        node.put("dataDir", dataDir.toAbsolutePath().normalize().toString());
        node.put("ring", ringDetails);
        node.put("coordinatorTerm", terms.highest());
        builder.withDetail("node", node);
    }
}
