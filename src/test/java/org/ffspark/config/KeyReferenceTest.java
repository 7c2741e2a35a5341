package org.ffspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KeyReferenceTest {
    private static final Path PROJECT = Path.of(System.getProperty("ffspark.projectDir", "."));

    @Test
    void theConfigurationReferenceIsTheKeyTable() throws Exception {
        String generated = KeyReference.markdown();
        Path fresh = PROJECT.resolve("target/configuration.md");
        Files.createDirectories(fresh.getParent());
        Files.writeString(fresh, generated);
        String committed = Files.readString(PROJECT.resolve("docs/configuration.md"));
        assertEquals(generated, committed, "docs/configuration.md is out of date with the key table: "
                + "cp target/configuration.md docs/configuration.md");
    }

    @Test
    void everyKeyIsDocumentedWithItsValuesAndAnExample() {
        for (ConfigKey k : ConfigKey.TRAINING) {
            assertTrue(!k.allowed().isEmpty() && !k.meaning().isEmpty(), k.name());
            assertTrue(!k.example().isEmpty() && !k.example().equals(k.defaultValue()), k.name() + " example");
        }
    }
}
