import os

# ruleid: password-in-dsn-python
engine = create_engine("postgresql://app:hunter2@db.internal:5432/app")
# ruleid: password-in-dsn-python
BROKER_URL = "amqp://guest:guest@rabbitmq:5672//"
# ok: password-in-dsn-python
engine = create_engine(os.environ["DATABASE_URL"])
# ok: password-in-dsn-python
HOMEPAGE = "https://example.com/path"
# ok: password-in-dsn-python
TEMPLATE = "postgresql://%s:%s@%s/app"
