// folder-to-folder-java: the sample job of folder-to-folder.camel.yaml, its route file written in the Java DSL.
// Settings: config/jobs/folder-to-folder-java.properties. A routes/<job>.java file is one public class extending
// RouteBuilder (any class name: Caravan loads it under the name it declares); serve compiles it when it appears and
// again on each edit. Stages: list → plan (folder-to-folder-java.plan), transfer → record
// (folder-to-folder-java.transfer), from the Kamelets in routes/kamelets/.
import org.apache.camel.builder.RouteBuilder;

public class FolderToFolderJava extends RouteBuilder {

    @Override
    public void configure() {
        templatedRoute("caravan-plan").routeId("folder-to-folder-java.plan")
                .parameter("job", "folder-to-folder-java");
        templatedRoute("caravan-transfer").routeId("folder-to-folder-java.transfer")
                .parameter("job", "folder-to-folder-java");
    }
}
