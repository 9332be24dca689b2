// A Thrift client of the metastore, run by metastore-s3.test.ts with `java CreateDatabase.java`: what
// Iceberg's HiveCatalog does for CREATE NAMESPACE, a database with an s3a:// location. Prints the
// location the metastore recorded.
import java.util.HashMap;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;

public class CreateDatabase {
  public static void main(String[] args) throws Exception {
    var conf = MetastoreConf.newMetastoreConf();
    MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, args[0]);
    MetastoreConf.setLongVar(conf, MetastoreConf.ConfVars.THRIFT_FAILURE_RETRIES, 0);
    var client = new HiveMetaStoreClient(conf);
    try {
      client.createDatabase(new Database(args[1], "", args[2], new HashMap<>()));
      System.out.println(client.getDatabase(args[1]).getLocationUri());
    } finally {
      client.close();
    }
  }
}
