from torch.utils.tensorboard import SummaryWriter

writer = SummaryWriter("runs")


def scalar(name, value, step):
    writer.add_scalar(name, value, step)
